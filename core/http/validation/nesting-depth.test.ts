import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nestsDeeperThan } from './nesting-depth.ts';

const nested = (depth: number): unknown => {
  let value: unknown = 'leaf';
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { k: value };
  return value;
};

const cases: Array<[string, unknown, number, boolean]> = [
  ['a scalar', 5, 1, false],
  ['a flat object', { a: 1, b: 'x' }, 1, false],
  ['depth equal to the limit', nested(3), 3, false],
  ['one deeper than the limit', nested(4), 3, true],
  ['a realistic chat body', { messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'x' } }] }] }, 64, false],
  ['a million levels, without overflowing the stack', nested(1_000_000), 64, true],
];
for (const [what, value, limit, expected] of cases) test(what, () => assert.equal(nestsDeeperThan(value, limit), expected));
