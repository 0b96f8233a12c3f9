import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AttemptEndEvent, AttemptStartEvent, RequestEndEvent } from '../../core/index.ts';
import { inputMessages, outputMessages } from './message-content.ts';
import { attemptEndAttributes, attemptStartAttributes, requestEndAttributes } from './span-attributes.ts';

const start: AttemptStartEvent = { requestId: 'r', attempt: 2, operation: 'chat', provider: 'groq', model: 'llama-3.1-8b-instant', resolved: 'groq/llama-3.1-8b-instant', stream: true, upstreamHeaders: {} };
const end = (over: Partial<AttemptEndEvent>): AttemptEndEvent => ({ requestId: 'r', attempt: 2, provider: 'groq', model: 'm', resolved: 'groq/m', ok: true, ...over });

test('an attempt span’s attributes, start and end', () => {
  assert.deepEqual(attemptStartAttributes(start, 64, 0.2), {
    'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': 'groq',
    'gen_ai.request.model': 'llama-3.1-8b-instant',
    'gen_ai.request.max_tokens': 64,
    'gen_ai.request.temperature': 0.2,
  });
  assert.equal('gen_ai.request.max_tokens' in attemptStartAttributes(start, undefined, undefined), false, 'unset limits are left out');
  const cases: Array<[string, AttemptEndEvent, Record<string, unknown>]> = [
    [
      'an answer',
      end({ responseModel: 'llama-3.1-8b', usage: { prompt_tokens: 11, completion_tokens: 3, total_tokens: 14 }, finishReasons: ['stop'], ttftMs: 12.34 }),
      { 'gen_ai.response.model': 'llama-3.1-8b', 'gen_ai.usage.input_tokens': 11, 'gen_ai.usage.output_tokens': 3, 'gen_ai.response.finish_reasons': ['stop'], 'mana_llm.time_to_first_token_ms': 12.3 },
    ],
    ['embeddings: input tokens only', end({ usage: { prompt_tokens: 4, total_tokens: 4 } as never }), { 'gen_ai.usage.input_tokens': 4 }],
    ['a failure', end({ ok: false, errorType: 'rate_limited' }), { 'error.type': 'rate_limited' }],
  ];
  for (const [name, event, expected] of cases) assert.deepEqual(attemptEndAttributes(event), expected, name);
});

test('the request span’s attributes at its end', () => {
  const event = { requestId: 'r', route: 'chat', requestedModel: 'mana/fast-text', stream: false, caller: 'app', requestedProvider: 'alias', resolved: 'groq/m', status: 200, durationMs: 5, attempts: [], clientAborted: false, cache: 'miss' } as RequestEndEvent;
  assert.deepEqual(requestEndAttributes(event), { 'http.response.status_code': 200, 'mana_llm.requested_model': 'mana/fast-text', 'mana_llm.caller': 'app', 'mana_llm.cache': 'miss', 'mana_llm.resolved_model': 'groq/m' });
  assert.deepEqual(requestEndAttributes({ ...event, resolved: undefined, status: 503, errorCode: 'no_healthy_provider', cache: undefined }), {
    'http.response.status_code': 503,
    'mana_llm.requested_model': 'mana/fast-text',
    'mana_llm.caller': 'app',
    'mana_llm.cache': 'bypass',
    'error.type': 'no_healthy_provider',
  });
});

test('content, when recorded at all: chat, Responses and embeddings inputs; chat outputs', () => {
  const cases: Array<[string, unknown, string | undefined]> = [
    ['chat messages', { messages: [{ role: 'user', content: 'hi' }] }, '[{"role":"user","content":"hi"}]'],
    ['Responses: instructions and a string input', { instructions: 'be brief', input: 'hi' }, '[{"role":"system","content":"be brief"},{"role":"user","content":"hi"}]'],
    ['embeddings input list', { input: ['a', 'b'] }, '["a","b"]'],
    ['no body', undefined, undefined],
  ];
  for (const [name, body, expected] of cases) assert.equal(inputMessages(body), expected, name);
  assert.equal(outputMessages({ choices: [{ message: { role: 'assistant', content: 'yo' }, finish_reason: 'stop' }] }), '[{"role":"assistant","content":"yo","finish_reason":"stop"}]');
  assert.equal(outputMessages({ data: [] }), undefined);
});
