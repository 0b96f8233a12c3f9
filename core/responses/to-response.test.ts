import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ChatCompletion, ChatMessage, FinishReason, Usage } from '../contracts/openai.ts';
import type { ResponseObject, ResponseOutputItem } from '../contracts/responses.ts';
import { responseContext } from './response-context.ts';
import { toResponse } from './to-response.ts';

const ID = 'resp_0123456789abcdef0123456789abcdef';
const KEY = '0123456789abcdef0123456789abcdef';
const context = (request = { input: 'hi' }) => responseContext(request, 'groq/llama-3.3', { id: ID, createdAt: 1700000000, now: () => 1700000009 });

function completion(message: Omit<Partial<ChatMessage>, 'role'>, finish: FinishReason | null = 'stop', usage?: Usage): ChatCompletion {
  const answer: ChatCompletion = { id: 'chatcmpl-1', object: 'chat.completion', created: 1, model: 'groq/llama-3.3', choices: [{ index: 0, message: { ...message, role: 'assistant' }, finish_reason: finish }] };
  if (usage) answer.usage = usage;
  return answer;
}

const text = (t: string) => ({ type: 'output_text' as const, annotations: [] as [], logprobs: [] as [], text: t });
const msg = (index: number, content: Array<ReturnType<typeof text> | { type: 'refusal'; refusal: string }>, status: 'completed' | 'incomplete' = 'completed'): ResponseOutputItem => ({ id: `msg_${KEY}_${index}`, type: 'message', status, content, role: 'assistant' });
const fc = (index: number, callId: string, name: string, args: string, status: 'completed' | 'incomplete' = 'completed'): ResponseOutputItem => ({ id: `fc_${KEY}_${index}`, type: 'function_call', status, arguments: args, call_id: callId, name });
const rs = (index: number, summary: string, status: 'completed' | 'incomplete' = 'completed'): ResponseOutputItem => ({ id: `rs_${KEY}_${index}`, type: 'reasoning', summary: [{ type: 'summary_text', text: summary }], status });
const call = (id: string, name: string, args: string) => ({ id, type: 'function' as const, function: { name, arguments: args } });

describe('a chat answer becomes the output of a Response', () => {
  const cases: Array<[string, ChatCompletion, ResponseOutputItem[], Pick<ResponseObject, 'status' | 'incomplete_details'>]> = [
    ['text', completion({ content: 'Hello!' }), [msg(0, [text('Hello!')])], { status: 'completed', incomplete_details: null }],
    ['text in parts', completion({ content: [{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }] }), [msg(0, [text('a\nb')])], { status: 'completed', incomplete_details: null }],
    ['tool calls without text', completion({ content: null, tool_calls: [call('call_1', 'get_weather', '{"city":"Paris"}'), call('call_2', 'get_time', '{}')] }, 'tool_calls'), [
      fc(0, 'call_1', 'get_weather', '{"city":"Paris"}'), fc(1, 'call_2', 'get_time', '{}'),
    ], { status: 'completed', incomplete_details: null }],
    ['text then a tool call', completion({ content: 'Let me check.', tool_calls: [call('call_1', 'f', '{}')] }, 'tool_calls'), [msg(0, [text('Let me check.')]), fc(1, 'call_1', 'f', '{}')], { status: 'completed', incomplete_details: null }],
    ['reasoning, text', completion({ reasoning_content: 'They greet me.', content: 'Hi!' }), [rs(0, 'They greet me.'), msg(1, [text('Hi!')])], { status: 'completed', incomplete_details: null }],
    ['reasoning named "reasoning"', completion({ reasoning: 'Hmm.', content: 'Hi!' }), [rs(0, 'Hmm.'), msg(1, [text('Hi!')])], { status: 'completed', incomplete_details: null }],
    ['a refusal', completion({ content: null, refusal: 'I cannot help with that.' }), [msg(0, [{ type: 'refusal', refusal: 'I cannot help with that.' }])], { status: 'completed', incomplete_details: null }],
    ['nothing at all is one empty message', completion({ content: '' }), [msg(0, [text('')])], { status: 'completed', incomplete_details: null }],
    ['a length cut in the text', completion({ content: 'Once upon a' }, 'length'), [msg(0, [text('Once upon a')], 'incomplete')], { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } }],
    ['a length cut in the reasoning', completion({ reasoning_content: 'First I', content: null }, 'length'), [rs(0, 'First I', 'incomplete')], { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } }],
    ['a length cut in the second call', completion({ content: null, tool_calls: [call('c1', 'f', '{}'), call('c2', 'g', '{"a":')] }, 'length'), [fc(0, 'c1', 'f', '{}'), fc(1, 'c2', 'g', '{"a":', 'incomplete')], { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } }],
    ['a filtered answer', completion({ content: 'Sure, here' }, 'content_filter'), [msg(0, [text('Sure, here')], 'incomplete')], { status: 'incomplete', incomplete_details: { reason: 'content_filter' } }],
    ['no finish reason', completion({ content: 'ok' }, null), [msg(0, [text('ok')])], { status: 'completed', incomplete_details: null }],
  ];
  for (const [what, answer, output, status] of cases) {
    test(what, () => {
      const response = toResponse(answer, context());
      assert.deepEqual(response.output, output);
      assert.equal(response.status, status.status);
      assert.deepEqual(response.incomplete_details, status.incomplete_details);
      assert.equal(response.completed_at, status.status === 'completed' ? 1700000009 : null);
    });
  }
});

test('a tool call without an id gets one', () => {
  const response = toResponse(completion({ content: null, tool_calls: [call('', 'f', '{}')] }, 'tool_calls'), context());
  assert.match((response.output[0] as { call_id: string }).call_id, /^call_/);
});

test('the whole Response: ids, model, usage with details, and the request echoed', () => {
  const request = { input: 'hi', instructions: 'Be brief.', temperature: 0.3, max_output_tokens: 99, metadata: { k: 'v' }, store: false, user: 'u1', previous_response_id: 'resp_prev' };
  const usage: Usage = { prompt_tokens: 20, completion_tokens: 8, total_tokens: 28, prompt_tokens_details: { cached_tokens: 16 }, completion_tokens_details: { reasoning_tokens: 3 } };
  const response = toResponse(completion({ content: 'Hi.' }, 'stop', usage), context(request));
  assert.deepEqual(response, {
    id: ID,
    object: 'response',
    created_at: 1700000000,
    status: 'completed',
    background: false,
    completed_at: 1700000009,
    error: null,
    incomplete_details: null,
    instructions: 'Be brief.',
    max_output_tokens: 99,
    model: 'groq/llama-3.3',
    output: [msg(0, [text('Hi.')])],
    parallel_tool_calls: true,
    previous_response_id: 'resp_prev',
    reasoning: null,
    store: false,
    temperature: 0.3,
    text: { format: { type: 'text' } },
    tool_choice: 'auto',
    tools: [],
    top_p: null,
    truncation: 'disabled',
    usage: { input_tokens: 20, input_tokens_details: { cached_tokens: 16, cache_write_tokens: 0 }, output_tokens: 8, output_tokens_details: { reasoning_tokens: 3 }, total_tokens: 28 },
    user: 'u1',
    metadata: { k: 'v' },
  });
});

test('a chat answer without choices is one empty message', () => {
  const response = toResponse({ id: 'x', object: 'chat.completion', created: 1, model: 'm', choices: [] }, context());
  assert.deepEqual(response.output, [msg(0, [text('')])]);
});
