import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pairedDifference, pairedRatio } from './targets.ts';

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

test('pairedDifference is the median of round-by-round differences', () => {
  const cases: Array<[number[], number[], number | undefined]> = [
    [[0.31, 0.30, 0.50], [0.30, 0.30, 0.30], 0.01], // one slowed round does not decide
    [[2, 4], [1, 1], 2],
    [[1, 2, 3], [1, 2], 0], // a round with no pair is left out
    [[], [], undefined],
  ];
  for (const [a, b, expected] of cases) {
    const got = pairedDifference(a, b);
    if (expected === undefined) assert.equal(got, undefined);
    else assert.ok(got !== undefined && Math.abs(got - expected) < 1e-9, `pairedDifference(${a}, ${b}) = ${got}, expected ${expected}`);
  }
});
