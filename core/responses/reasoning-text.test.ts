import assert from 'node:assert/strict';
import { test } from 'node:test';
import { reasoningText } from './reasoning-text.ts';

test('reasoning text is read from either field', () => {
  const cases: Array<[Record<string, unknown>, string]> = [
    [{}, ''],
    [{ reasoning_content: 'a' }, 'a'],
    [{ reasoning: 'b' }, 'b'],
    [{ reasoning_content: 'a', reasoning: 'b' }, 'a'],
    [{ reasoning: { text: 'x' } }, ''],
  ];
  for (const [message, expected] of cases) assert.equal(reasoningText(message), expected);
});
