import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ResponseEcho, ResponsesRequest } from '../contracts/responses.ts';
import { responseEcho, storesResponse } from './response-echo.ts';

const defaults: ResponseEcho = {
  background: false,
  instructions: null,
  max_output_tokens: null,
  parallel_tool_calls: true,
  previous_response_id: null,
  reasoning: null,
  store: true,
  temperature: null,
  text: { format: { type: 'text' } },
  tool_choice: 'auto',
  tools: [],
  top_p: null,
  truncation: 'disabled',
  metadata: {},
};

test('a response echoes the request as OpenAI does', () => {
  const schema = { type: 'object' };
  const cases: Array<[string, ResponsesRequest, Partial<ResponseEcho>]> = [
    ['nothing sent: the defaults', { input: 'hi' }, {}],
    ['nulls sent: the defaults', { input: 'hi', instructions: null, metadata: null, text: null, reasoning: null, store: null, parallel_tool_calls: null, truncation: null }, {}],
    ['sampling and limits', { input: 'hi', temperature: 0.5, top_p: 0.8, max_output_tokens: 64, instructions: 'Be brief.' }, { temperature: 0.5, top_p: 0.8, max_output_tokens: 64, instructions: 'Be brief.' }],
    ['store false', { input: 'hi', store: false }, { store: false }],
    ['chain and metadata', { input: 'hi', previous_response_id: 'resp_1', metadata: { a: 'b' }, user: 'u1', truncation: 'auto' }, { previous_response_id: 'resp_1', metadata: { a: 'b' }, user: 'u1', truncation: 'auto' }],
    ['reasoning', { input: 'hi', reasoning: { effort: 'low' } }, { reasoning: { effort: 'low', summary: null } }],
    ['reasoning with the older summary name', { input: 'hi', reasoning: { generate_summary: 'concise' } }, { reasoning: { effort: null, summary: 'concise' } }],
    ['text with verbosity and a schema', { input: 'hi', text: { verbosity: 'low', format: { type: 'json_schema', name: 'n', schema } } }, { text: { verbosity: 'low', format: { type: 'json_schema', name: 'n', schema } } }],
    ['text without a format', { input: 'hi', text: { verbosity: 'high' } }, { text: { verbosity: 'high', format: { type: 'text' } } }],
    ['tools in the SDK\'s shape, and the choice', { input: 'hi', tools: [{ type: 'function', name: 'f' }, { type: 'function', name: 'g', description: 'd', parameters: schema, strict: true }], tool_choice: 'required', parallel_tool_calls: false }, {
      tools: [{ type: 'function', name: 'f', parameters: null, strict: null }, { type: 'function', name: 'g', description: 'd', parameters: schema, strict: true }],
      tool_choice: 'required',
      parallel_tool_calls: false,
    }],
  ];
  for (const [what, request, expected] of cases) assert.deepEqual(responseEcho(request), { ...defaults, ...expected }, what);
});

test('a response is stored unless the caller says store: false', () => {
  for (const [store, expected] of [[undefined, true], [null, true], [true, true], [false, false]] as const) assert.equal(storesResponse({ input: 'x', store }), expected);
});
