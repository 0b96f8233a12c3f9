import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pairedRatio } from './targets.ts';

test('pairedRatio is the median of round-by-round ratios', () => {
  const cases: Array<[number[], number[], number | undefined]> = [
    [[1.0, 1.0, 2.0], [1.0, 1.0, 1.0], 1.0], // one slowed round does not decide
    [[1.1, 1.2, 1.3], [1.0, 1.0, 1.0], 1.2],
    [[2, 4], [1, 1], 3],
    [[1, 1], [0, 1], 1], // a round without requests is left out
    [[], [], undefined],
  ];
  for (const [a, b, expected] of cases) {
    const got = pairedRatio(a, b);
    if (expected === undefined) assert.equal(got, undefined);
    else assert.ok(got !== undefined && Math.abs(got - expected) < 1e-9, `pairedRatio(${a}, ${b}) = ${got}, expected ${expected}`);
  }
});
