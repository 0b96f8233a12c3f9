import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { StreamItem } from '../contracts/provider.ts';
import { StreamSummary, summarizeAnswer } from './attempt-summary.ts';

test('what a whole answer says of itself', () => {
  const usage = { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 };
  const cases: Array<[string, unknown, ReturnType<typeof summarizeAnswer>]> = [
    ['a chat completion', { model: 'm-1', usage, choices: [{ finish_reason: 'stop' }, { finish_reason: 'length' }] }, { responseModel: 'm-1', usage, finishReasons: ['stop', 'length'] }],
    ['embeddings: model and usage, no choices', { model: 'e-1', usage, data: [] }, { responseModel: 'e-1', usage }],
    ['a choice without a finish reason', { choices: [{ finish_reason: null }] }, {}],
    ['nothing usable', undefined, {}],
  ];
  for (const [name, value, expected] of cases) assert.deepEqual(summarizeAnswer(value), expected, name);
});

test('a stream’s finish reasons, from parsed chunks and forwarded text', () => {
  const summary = new StreamSummary();
  const chunk = (finish: string | null) => ({ id: 'c', object: 'chat.completion.chunk', created: 0, model: 'm', choices: [{ index: 0, delta: {}, finish_reason: finish }] }) as unknown as StreamItem;
  summary.add(chunk(null));
  summary.add({ serialized: '{"choices":[{"index":0,"delta":{"content":"hi"},"finish_reason":null}]}' });
  summary.add({ serialized: '{"choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}' });
  summary.add(chunk('stop'));
  assert.deepEqual(summary.finishReasons, ['tool_calls', 'stop']);
});
