import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { interpolate, interpolateString } from './interpolate.ts';

describe('interpolateString', () => {
  const env = { KEY: 'sk-1', EMPTY: '', PORT: '11434' };
  const cases: Array<[string, string]> = [
    ['${KEY}', 'sk-1'],
    ['${MISSING}', ''],
    ['${MISSING:-fallback}', 'fallback'],
    ['${EMPTY:-fallback}', 'fallback'],
    ['${KEY:-fallback}', 'sk-1'],
    ['http://localhost:${PORT}/x', 'http://localhost:11434/x'],
    ['${MISSING:-http://a:1}', 'http://a:1'],
    ['$${KEY}', '${KEY}'],
    ['no vars', 'no vars'],
    ['${A}${KEY}', 'sk-1'],
  ];
  for (const [input, expected] of cases) {
    test(`${input} → ${JSON.stringify(expected)}`, () => assert.equal(interpolateString(input, env), expected));
  }
});

test('interpolate walks arrays and objects and leaves other scalars alone', () => {
  const out = interpolate({ a: ['${X}', 1, true, null], b: { c: '${Y:-d}' } }, { X: 'x' });
  assert.deepEqual(out, { a: ['x', 1, true, null], b: { c: 'd' } });
});
