import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ChatCompletionChunk } from '../../core/index.ts';
import { mayCarryUsage, splitUsageChunk } from './usage-chunk.ts';

const usageCases: Array<[string, string, boolean]> = [
  ['usage object', '{"choices":[],"usage":{"prompt_tokens":1,"completion_tokens":2,"total_tokens":3}}', true],
  ['usage null', '{"choices":[{"delta":{"content":"a"}}],"usage":null}', false],
  ['usage null with spaces', '{"usage" :  null}', false],
  ['usage object with spaces', '{"usage" : {"total_tokens":3}}', true],
  ['no usage key', '{"choices":[{"delta":{"content":"hi"}}]}', false],
  ['"usage" as escaped content text', '{"choices":[{"delta":{"content":"the \\"usage\\": {1}"}}],"usage":null}', false],
  ['"usage" as a plain value', '{"choices":[{"delta":{"content":"usage"}}]}', false],
  ['nested usage after a null one', '{"usage":null,"x_groq":{"usage":{"total_tokens":3}}}', true],
  ['usage zero counts', '{"usage":{"total_tokens":0}}', true],
];

for (const [name, json, expected] of usageCases) {
  test(`mayCarryUsage: ${name}`, () => assert.equal(mayCarryUsage(json), expected));
}

const base = { id: 'c', object: 'chat.completion.chunk' as const, created: 1, model: 'm' };
const usage = { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 };

const splitCases: Array<{ name: string; chunk: ChatCompletionChunk; expected: ChatCompletionChunk[] }> = [
  { name: 'OpenAI usage chunk stays whole', chunk: { ...base, choices: [], usage }, expected: [{ ...base, choices: [], usage }] },
  {
    name: 'a plain chunk stays whole',
    chunk: { ...base, choices: [{ index: 0, delta: { content: 'a' }, finish_reason: null }], usage: null },
    expected: [{ ...base, choices: [{ index: 0, delta: { content: 'a' }, finish_reason: null }], usage: null }],
  },
  {
    name: 'Groq finish chunk with usage is split',
    chunk: { ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }], usage },
    expected: [
      { ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] },
      { ...base, choices: [], usage },
    ],
  },
];

for (const c of splitCases) {
  test(`splitUsageChunk: ${c.name}`, () => assert.deepEqual(splitUsageChunk(c.chunk), c.expected));
}
