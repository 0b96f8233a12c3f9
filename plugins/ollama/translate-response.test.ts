import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { UpstreamProtocolError } from '../../core/index.ts';
import { argumentsJson, finishReason, fromOllamaChat, toOpenAiToolCalls, usageFrom } from './translate-response.ts';

const meta = { id: 'chatcmpl-1', created: 1700000000, model: 'ollama/gemma3:4b', provider: 'ollama' };
const ids = () => {
  let n = 0;
  return () => `call_${++n}`;
};

describe('finishReason', () => {
  const cases: Array<[string | undefined, boolean, string]> = [
    ['stop', false, 'stop'],
    ['length', false, 'length'],
    ['stop', true, 'tool_calls'],
    ['length', true, 'tool_calls'],
    ['load', false, 'stop'],
    ['unload', false, 'stop'],
    [undefined, false, 'stop'],
  ];
  for (const [reason, tools, expected] of cases) test(`${reason}${tools ? ' + tool calls' : ''} → ${expected}`, () => assert.equal(finishReason(reason, tools), expected));
});

describe('tool call arguments object → JSON string', () => {
  const cases: Array<[unknown, string]> = [
    [{ city: 'Paris', n: 2, nested: { a: [1] } }, '{"city":"Paris","n":2,"nested":{"a":[1]}}'],
    [{}, '{}'],
    [undefined, '{}'],
    ['{"already":"string"}', '{"already":"string"}'],
  ];
  for (const [input, expected] of cases) test(`${JSON.stringify(input)}`, () => assert.equal(argumentsJson(input), expected));

  test('ids are generated unless Ollama sent one; malformed calls are dropped', () => {
    const calls = toOpenAiToolCalls(
      [{ function: { name: 'a', arguments: { x: 1 } } }, { id: 'call_up', function: { name: 'b', arguments: {} } }, { nope: true }],
      ids(),
    );
    assert.deepEqual(calls, [
      { id: 'call_1', type: 'function', function: { name: 'a', arguments: '{"x":1}' } },
      { id: 'call_up', type: 'function', function: { name: 'b', arguments: '{}' } },
    ]);
  });
});

describe('usageFrom', () => {
  const cases: Array<[object, unknown]> = [
    [{ prompt_eval_count: 26, eval_count: 282 }, { prompt_tokens: 26, completion_tokens: 282, total_tokens: 308 }],
    [{ eval_count: 5 }, { prompt_tokens: 0, completion_tokens: 5, total_tokens: 5 }],
    [{}, undefined],
  ];
  for (const [input, expected] of cases) test(JSON.stringify(input), () => assert.deepEqual(usageFrom(input), expected));
});

describe('fromOllamaChat', () => {
  const cases: Array<{ name: string; in: object; message: object; finish: string; usage?: object }> = [
    {
      name: 'text answer',
      in: { message: { role: 'assistant', content: 'Hello' }, done: true, done_reason: 'stop', prompt_eval_count: 3, eval_count: 2 },
      message: { role: 'assistant', content: 'Hello' },
      finish: 'stop',
      usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
    },
    {
      name: 'length',
      in: { message: { role: 'assistant', content: 'Hel' }, done: true, done_reason: 'length', eval_count: 1 },
      message: { role: 'assistant', content: 'Hel' },
      finish: 'length',
    },
    {
      name: 'tool calls: content null, arguments as string, finish tool_calls',
      in: { message: { role: 'assistant', content: '', tool_calls: [{ function: { name: 'weather', arguments: { city: 'Paris' } } }] }, done: true, done_reason: 'stop' },
      message: { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Paris"}' } }] },
      finish: 'tool_calls',
    },
    {
      name: 'thinking → reasoning_content',
      in: { message: { role: 'assistant', content: '42', thinking: 'let me think' }, done: true, done_reason: 'stop' },
      message: { role: 'assistant', content: '42', reasoning_content: 'let me think' },
      finish: 'stop',
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const out = fromOllamaChat(c.in, meta, ids());
      assert.equal(out.object, 'chat.completion');
      assert.equal(out.id, meta.id);
      assert.equal(out.created, meta.created);
      assert.equal(out.model, 'ollama/gemma3:4b');
      assert.deepEqual(out.choices, [{ index: 0, message: c.message, finish_reason: c.finish }]);
      assert.deepEqual(out.usage, c.usage ?? usageFrom(c.in) ?? { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 });
    });
  }

  for (const bad of [null, 'text', { done: true }, { message: 'hi' }]) {
    test(`malformed ${JSON.stringify(bad)} → UpstreamProtocolError`, () => assert.throws(() => fromOllamaChat(bad, meta), UpstreamProtocolError));
  }
});
