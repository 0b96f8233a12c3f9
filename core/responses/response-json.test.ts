import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ChatCompletion, ChatCompletionChunk, ChatMessage, FinishReason, Usage } from '../contracts/openai.ts';
import type { ResponseObject, ResponsesRequest } from '../contracts/responses.ts';
import { responseContext } from './response-context.ts';
import { responseJson } from './response-json.ts';
import { EventSerializer, serializeEvent } from './sse-event.ts';
import { ResponseStreamTranslator } from './stream-translator.ts';
import { toResponse } from './to-response.ts';

// responseJson is a faster JSON.stringify for the responses the translations build; it must never differ.

const requests: Array<[string, ResponsesRequest]> = [
  ['a string input', { model: 'openai/m', input: 'hi', max_output_tokens: 32, store: false }],
  ['every echoed field', {
    input: 'hi', instructions: 'Be "brief".\nReally.', max_output_tokens: 7, parallel_tool_calls: false, previous_response_id: 'resp_x',
    reasoning: { effort: 'low', summary: 'auto' }, store: true, temperature: 0.5, top_p: 1, truncation: 'auto', user: 'u-1\u2028',
    text: { format: { type: 'json_schema', name: 'o', schema: { type: 'object' }, strict: true }, verbosity: 'low' },
    tool_choice: { type: 'function', name: 'f' }, tools: [{ type: 'function', name: 'f', description: 'd', parameters: { type: 'object' }, strict: false }, { type: 'function', name: 'g' }],
    metadata: { a: 'b', 'é': '"' },
  }],
  ['text config beside the default format', { input: 'hi', text: { verbosity: 'high' } }],
  ['a format object with more than its type', { input: 'hi', text: { format: { type: 'text', extra: 1 } as never } }],
  ['json_object', { input: 'hi', text: { format: { type: 'json_object' } }, tool_choice: 'none' }],
];

function completion(message: Omit<Partial<ChatMessage>, 'role'>, finish: FinishReason | null = 'stop', usage?: Usage): ChatCompletion {
  const answer: ChatCompletion = { id: 'chatcmpl-1', object: 'chat.completion', created: 1, model: 'm', choices: [{ index: 0, message: { ...message, role: 'assistant' }, finish_reason: finish }] };
  if (usage) answer.usage = usage;
  return answer;
}
const call = (id: string, name: string, args: string) => ({ id, type: 'function' as const, function: { name, arguments: args } });

const answers: Array<[string, ChatCompletion]> = [
  ['text', completion({ content: 'Hello! "quoted" \\ and\nnewline \u0000 \ud83d\ude00' }, 'stop', { prompt_tokens: 12, completion_tokens: 20, total_tokens: 32 })],
  ['no usage', completion({ content: 'x' })],
  ['usage with details', completion({ content: 'x' }, 'stop', { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7, prompt_tokens_details: { cached_tokens: 2, cache_write_tokens: 1 }, completion_tokens_details: { reasoning_tokens: 1 } })],
  ['usage with odd numbers', completion({ content: 'x' }, 'stop', { prompt_tokens: 1.5, completion_tokens: -0, total_tokens: Number.NaN } as Usage)],
  ['text in parts', completion({ content: [{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }] })],
  ['tool calls', completion({ content: null, tool_calls: [call('call_1', 'get_weather', '{"city":"Paris"}'), call('call_2', 'get_time', '{}')] }, 'tool_calls')],
  ['text then a call', completion({ content: 'Let me check.', tool_calls: [call('call_1', 'f', '{}')] }, 'tool_calls')],
  ['reasoning and text', completion({ reasoning_content: 'They greet me.', content: 'Hi!' })],
  ['a refusal beside text', completion({ content: 'Well', refusal: 'I cannot help with that.' })],
  ['nothing at all', completion({ content: '' })],
  ['a length cut', completion({ content: 'Once upon a' }, 'length')],
  ['a filtered answer', completion({ content: 'Sure, here' }, 'content_filter')],
];

describe('responseJson writes what JSON.stringify writes', () => {
  for (const [requestName, request] of requests) {
    for (const [answerName, answer] of answers) {
      test(`${requestName}, ${answerName}`, () => {
        const response = toResponse(structuredClone(answer), responseContext(request, 'groq/llama', { id: 'resp_0123456789abcdef0123456789abcdef', createdAt: 1700000000, now: () => 1700000009 }));
        assert.equal(responseJson(response), JSON.stringify(response));
      });
    }
  }

  test('parts with annotations and refusals go through JSON.stringify', () => {
    const base = toResponse(answers[0]![1], responseContext(requests[0]![1], 'm'));
    const odd: ResponseObject[] = [
      { ...base, output: [{ id: 'msg_1', type: 'message', status: 'completed', content: [{ type: 'output_text', annotations: [{ type: 'url' }], logprobs: [], text: 't' } as never], role: 'assistant' }] },
      { ...base, output: [{ id: 'msg_1', type: 'message', status: 'completed', content: [{ type: 'output_text', annotations: [], logprobs: [{ token: 't' }], text: 't' } as never], role: 'assistant' }] },
      { ...base, output: [{ id: 'msg_1', type: 'message', status: 'in_progress', content: [], role: 'assistant' }] },
      { ...base, output: [] },
      { ...base, usage: null },
      { ...base, metadata: Object.create(null) as Record<string, string> },
      { ...base, text: { format: { type: 'text' }, verbosity: undefined } as never },
    ];
    for (const response of odd) assert.equal(responseJson(response), JSON.stringify(response));
  });
});

describe('the stream serializer writes what serializeEvent writes', () => {
  const chunk = (delta: Record<string, unknown>, finish: FinishReason | null = null, usage?: Usage): ChatCompletionChunk =>
    ({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta, finish_reason: finish }], ...(usage ? { usage } : {}) }) as ChatCompletionChunk;
  const streams: Array<[string, ChatCompletionChunk[], 'finish' | 'fail']> = [
    ['text', [chunk({ role: 'assistant', content: 'Hel' }), chunk({ content: 'lo "x"' }), chunk({}, 'stop', { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 })], 'finish'],
    ['reasoning, a call, a cut', [chunk({ reasoning_content: 'hm' }), chunk({ tool_calls: [{ index: 0, id: 'call_1', function: { name: 'f', arguments: '{"a"' } }] }), chunk({}, 'length')], 'finish'],
    ['broken after its first chunk', [chunk({ content: 'Hi' })], 'fail'],
  ];
  for (const [name, chunks, end] of streams) {
    for (const [requestName, request] of requests) {
      test(`${name}, ${requestName}`, () => {
        const a = new ResponseStreamTranslator(responseContext(request, 'm', { id: 'resp_0123456789abcdef0123456789abcdef', createdAt: 1, now: () => 2 }));
        const serializer = new EventSerializer();
        let expected = '';
        let actual = '';
        for (const c of chunks) {
          const events = a.push(c);
          expected += events.map(serializeEvent).join('');
          actual += serializer.text(events);
        }
        const last = end === 'finish' ? a.finish() : a.fail({ code: 'upstream_error', message: 'cut "here"' });
        expected += last.map(serializeEvent).join('');
        actual += serializer.text(last);
        assert.equal(actual, expected);
        assert.equal(serializer.response, a.response);
        assert.equal(serializer.responseText, JSON.stringify(a.response));
      });
    }
  }
});
