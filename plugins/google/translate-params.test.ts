import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidRequestError, type ChatCompletionRequest } from '../../core/index.ts';
import { toGenerateConfig } from './translate-params.ts';

const messages = [{ role: 'user' as const, content: 'hi' }];

describe('toGenerateConfig', () => {
  const cases: Array<{ name: string; request: Partial<ChatCompletionRequest>; expected: unknown }> = [
    { name: 'nothing set', request: {}, expected: {} },
    {
      name: 'sampling and limits',
      request: { temperature: 0.2, top_p: 0.9, max_tokens: 100, seed: 7, presence_penalty: 0.5, frequency_penalty: -0.5, n: 2 },
      expected: { temperature: 0.2, topP: 0.9, maxOutputTokens: 100, seed: 7, presencePenalty: 0.5, frequencyPenalty: -0.5, candidateCount: 2 },
    },
    { name: 'max_completion_tokens wins over max_tokens', request: { max_tokens: 100, max_completion_tokens: 50 }, expected: { maxOutputTokens: 50 } },
    { name: 'temperature 0 is kept', request: { temperature: 0 }, expected: { temperature: 0 } },
    { name: 'nulls are left out', request: { temperature: null, top_p: null, max_tokens: null, stop: null, seed: null }, expected: {} },
    { name: 'stop as a string', request: { stop: 'END' }, expected: { stopSequences: ['END'] } },
    { name: 'stop as a list', request: { stop: ['a', 'b'] }, expected: { stopSequences: ['a', 'b'] } },
    { name: 'response_format text', request: { response_format: { type: 'text' } }, expected: {} },
    { name: 'response_format json_object', request: { response_format: { type: 'json_object' } }, expected: { responseMimeType: 'application/json' } },
    {
      name: 'response_format json_schema',
      request: { response_format: { type: 'json_schema', json_schema: { name: 'x', strict: true, schema: { type: 'object', properties: { a: { type: 'integer' } }, required: ['a'], additionalProperties: false, $schema: 's' } } } },
      expected: { responseMimeType: 'application/json', responseJsonSchema: { type: 'object', properties: { a: { type: 'integer' } }, required: ['a'], additionalProperties: false } },
    },
    { name: 'json_schema without a schema', request: { response_format: { type: 'json_schema', json_schema: { name: 'x' } } }, expected: { responseMimeType: 'application/json' } },
    {
      name: 'tools and tool_choice',
      request: { tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object', properties: { q: { type: 'string' } } } } }], tool_choice: 'required' },
      expected: { tools: [{ functionDeclarations: [{ name: 'f', parametersJsonSchema: { type: 'object', properties: { q: { type: 'string' } } } }] }], toolConfig: { functionCallingConfig: { mode: 'ANY' } } },
    },
    { name: 'tool_choice without tools is dropped', request: { tool_choice: 'none' }, expected: {} },
    { name: 'parameters Gemini lacks are left out', request: { user: 'u', parallel_tool_calls: false, logit_bias: { 1: 2 } }, expected: {} },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(toGenerateConfig({ messages, ...c.request }), c.expected));

  it('refuses an unknown response_format type', () => {
    assert.throws(() => toGenerateConfig({ messages, response_format: { type: 'yaml' } as never }), (err: unknown) => err instanceof InvalidRequestError && err.param === 'response_format.type');
  });
});
