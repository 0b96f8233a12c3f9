import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ChatCompletionRequest } from '../contracts/openai.ts';
import type { ConversationItem, ResponsesRequest } from '../contracts/responses.ts';
import { toChatRequest } from './to-chat-request.ts';

const weather = { type: 'function' as const, name: 'get_weather', parameters: { type: 'object' } };
const chatWeather = { type: 'function' as const, function: { name: 'get_weather', parameters: { type: 'object' } } };

describe('a Responses request becomes a chat request', () => {
  const cases: Array<[string, ResponsesRequest, ChatCompletionRequest]> = [
    ['a string input', { model: 'groq/llama', input: 'hi' }, { model: 'groq/llama', messages: [{ role: 'user', content: 'hi' }] }],
    ['no model stays no model', { input: 'hi' }, { messages: [{ role: 'user', content: 'hi' }] }],
    ['instructions come first, as a system message', { input: [{ role: 'user', content: 'hi' }], instructions: 'Be brief.' }, { messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'hi' }] }],
    ['null or empty instructions are none', { input: 'hi', instructions: null }, { messages: [{ role: 'user', content: 'hi' }] }],
    ['sampling and limits', { input: 'hi', temperature: 0.2, top_p: 0.9, max_output_tokens: 50, user: 'u1' }, { messages: [{ role: 'user', content: 'hi' }], temperature: 0.2, top_p: 0.9, max_completion_tokens: 50, user: 'u1' }],
    ['null sampling fields are left out', { input: 'hi', temperature: null, top_p: null, max_output_tokens: null, parallel_tool_calls: null }, { messages: [{ role: 'user', content: 'hi' }] }],
    ['tools, tool_choice and parallel_tool_calls', { input: 'hi', tools: [weather], tool_choice: { type: 'function', name: 'get_weather' }, parallel_tool_calls: false }, {
      messages: [{ role: 'user', content: 'hi' }], tools: [chatWeather], tool_choice: { type: 'function', function: { name: 'get_weather' } }, parallel_tool_calls: false,
    }],
    ['tool_choice and parallel_tool_calls without tools are dropped', { input: 'hi', tools: [], tool_choice: 'none', parallel_tool_calls: true }, { messages: [{ role: 'user', content: 'hi' }] }],
    ['text.format', { input: 'hi', text: { format: { type: 'json_object' } } }, { messages: [{ role: 'user', content: 'hi' }], response_format: { type: 'json_object' } }],
    ['reasoning.effort', { input: 'hi', reasoning: { effort: 'low', summary: 'auto' } }, { messages: [{ role: 'user', content: 'hi' }], reasoning_effort: 'low' }],
    ['reasoning without effort', { input: 'hi', reasoning: { summary: 'auto' } }, { messages: [{ role: 'user', content: 'hi' }] }],
    ['ignored fields go nowhere', { input: 'hi', store: false, stream: true, metadata: { a: 'b' }, include: ['x'], truncation: 'auto', service_tier: 'flex', previous_response_id: 'resp_1' }, { messages: [{ role: 'user', content: 'hi' }] }],
  ];
  for (const [what, request, expected] of cases) test(what, () => assert.deepEqual(toChatRequest(request), expected));
});

test('the stored conversation comes before the new input, and references are resolved', () => {
  const history: ConversationItem[] = [
    { type: 'message', role: 'user', content: 'weather in Paris?' },
    { type: 'function_call', id: 'fc_x_0', call_id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}', status: 'completed' },
  ];
  const earlier: ConversationItem = { type: 'message', id: 'msg_y_1', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: 'It rains.', annotations: [], logprobs: [] }] };
  const chat = toChatRequest(
    { input: [{ type: 'function_call_output', call_id: 'call_1', output: 'rain' }, { type: 'item_reference', id: 'msg_y_1' }, { role: 'user', content: 'and tomorrow?' }], instructions: 'Short answers.' },
    history,
    new Map([['msg_y_1', earlier]]),
  );
  assert.deepEqual(chat.messages, [
    { role: 'system', content: 'Short answers.' },
    { role: 'user', content: 'weather in Paris?' },
    { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
    { role: 'tool', tool_call_id: 'call_1', content: 'rain' },
    { role: 'assistant', content: 'It rains.' },
    { role: 'user', content: 'and tomorrow?' },
  ]);
});

test('an empty input is a 400', () => {
  assert.throws(() => toChatRequest({ input: [], instructions: 'x' }), (err: any) => err.status === 400 && err.param === 'input');
  assert.throws(() => toChatRequest({ input: [{ type: 'reasoning', id: 'rs_1', summary: [] }] }), (err: any) => err.param === 'input');
});
