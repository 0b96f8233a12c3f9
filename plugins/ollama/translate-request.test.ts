import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { InvalidRequestError, type ChatCompletionRequest, type FunctionTool } from '../../core/index.ts';
import { toOllamaChatRequest, toOllamaFormat, toOllamaOptions } from './translate-request.ts';

const messages = [{ role: 'user' as const, content: 'hi' }];
const tool: FunctionTool = { type: 'function', function: { name: 'weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } };

describe('toOllamaOptions', () => {
  const cases: Array<{ name: string; in: Partial<ChatCompletionRequest>; numCtx?: number; out: Record<string, unknown> }> = [
    { name: 'nothing set → empty', in: {}, out: {} },
    { name: 'temperature', in: { temperature: 0.2 }, out: { temperature: 0.2 } },
    { name: 'temperature 0 is kept', in: { temperature: 0 }, out: { temperature: 0 } },
    { name: 'top_p', in: { top_p: 0.9 }, out: { top_p: 0.9 } },
    { name: 'seed', in: { seed: 42 }, out: { seed: 42 } },
    { name: 'frequency_penalty', in: { frequency_penalty: 0.5 }, out: { frequency_penalty: 0.5 } },
    { name: 'presence_penalty', in: { presence_penalty: -0.5 }, out: { presence_penalty: -0.5 } },
    { name: 'max_tokens → num_predict', in: { max_tokens: 100 }, out: { num_predict: 100 } },
    { name: 'max_completion_tokens → num_predict', in: { max_completion_tokens: 50 }, out: { num_predict: 50 } },
    { name: 'max_completion_tokens wins over max_tokens', in: { max_tokens: 100, max_completion_tokens: 50 }, out: { num_predict: 50 } },
    { name: 'stop string → array', in: { stop: 'END' }, out: { stop: ['END'] } },
    { name: 'stop array as is', in: { stop: ['a', 'b'] }, out: { stop: ['a', 'b'] } },
    { name: 'nulls are left out', in: { temperature: null, stop: null, max_tokens: null }, out: {} },
    { name: 'numCtx fills num_ctx', in: {}, numCtx: 8192, out: { num_ctx: 8192 } },
    { name: 'native options pass through, num_ctx from the request wins', in: { options: { top_k: 20, num_ctx: 4096 } }, numCtx: 8192, out: { top_k: 20, num_ctx: 4096 } },
    { name: 'OpenAI parameters win over native options', in: { options: { temperature: 1 }, temperature: 0.1 }, out: { temperature: 0.1 } },
  ];
  for (const c of cases) {
    test(c.name, () => assert.deepEqual(toOllamaOptions({ messages, ...c.in } as ChatCompletionRequest, c.numCtx), c.out));
  }
  test('native options that are not an object are refused', () => {
    assert.throws(() => toOllamaOptions({ messages, options: 'fast' }), (err: unknown) => err instanceof InvalidRequestError && err.param === 'options');
  });
});

describe('toOllamaFormat', () => {
  const schema = { type: 'object', properties: { age: { type: 'integer' } } };
  const cases: Array<[ChatCompletionRequest['response_format'], unknown]> = [
    [undefined, undefined],
    [{ type: 'text' }, undefined],
    [{ type: 'json_object' }, 'json'],
    [{ type: 'json_schema', json_schema: { name: 'x', schema } }, schema],
    [{ type: 'json_schema', json_schema: { name: 'x' } }, 'json'],
  ];
  for (const [input, expected] of cases) test(`${JSON.stringify(input)} → ${JSON.stringify(expected)}`, () => assert.deepEqual(toOllamaFormat(input), expected));
});

describe('toOllamaChatRequest', () => {
  const cases: Array<{ name: string; in: Partial<ChatCompletionRequest>; defaults?: object; stream?: boolean; expect: Record<string, unknown> }> = [
    { name: 'minimal', in: {}, expect: { model: 'gemma3:4b', messages: [{ role: 'user', content: 'hi' }], stream: false } },
    { name: 'stream flag', in: {}, stream: true, expect: { model: 'gemma3:4b', messages: [{ role: 'user', content: 'hi' }], stream: true } },
    { name: 'tools pass through', in: { tools: [tool] }, expect: { tools: [tool] } },
    { name: 'tool_choice none drops the tools', in: { tools: [tool], tool_choice: 'none' }, expect: { tools: undefined } },
    { name: 'json mode', in: { response_format: { type: 'json_object' } }, expect: { format: 'json' } },
    { name: 'keepAlive default', in: {}, defaults: { keepAlive: '10m' }, expect: { keep_alive: '10m' } },
    { name: 'request keep_alive wins', in: { keep_alive: -1 }, defaults: { keepAlive: '10m' }, expect: { keep_alive: -1 } },
    { name: 'think passes through', in: { think: true }, expect: { think: true } },
    { name: 'options only when something is set', in: { temperature: 0.3 }, expect: { options: { temperature: 0.3 } } },
    { name: 'no options object when nothing is set', in: {}, expect: { options: undefined, format: undefined, keep_alive: undefined } },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const body = toOllamaChatRequest({ messages, ...c.in } as ChatCompletionRequest, 'gemma3:4b', c.defaults ?? {}, c.stream ?? false);
      for (const [key, value] of Object.entries(c.expect)) assert.deepEqual((body as unknown as Record<string, unknown>)[key], value, key);
    });
  }
});
