import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RequestEndEvent } from '../../core/index.ts';
import { RecentRequests, summarize, type RequestSummary } from './recent-requests.ts';

const END: RequestEndEvent = {
  requestId: 'req-1',
  route: 'chat',
  requestedModel: 'mana/fast-text',
  stream: true,
  body: { messages: [{ role: 'user', content: 'the secret prompt' }] },
  caller: 'chat-backend',
  requestedProvider: 'alias',
  resolved: 'groq/llama-3.1-8b-instant',
  provider: 'groq',
  model: 'llama-3.1-8b-instant',
  status: 200,
  durationMs: 812.345,
  ttftMs: 140.04,
  usage: { prompt_tokens: 12, completion_tokens: 30, total_tokens: 42 },
  attempts: [{ model: 'ollama/gemma3:4b', reason: 'network', message: 'connect ECONNREFUSED; upstream said: the secret prompt' }],
  clientAborted: false,
  cache: 'miss',
  costUsd: 0.0000123,
};

test('a summary keeps who, which model and how it went, rounded to a tenth of a millisecond', () => {
  assert.deepEqual(summarize(END, 1000), {
    at: 1000,
    requestId: 'req-1',
    route: 'chat',
    stream: true,
    caller: 'chat-backend',
    requested: 'mana/fast-text',
    resolved: 'groq/llama-3.1-8b-instant',
    status: 200,
    errorCode: null,
    durationMs: 812.3,
    ttftMs: 140,
    promptTokens: 12,
    completionTokens: 30,
    costUsd: 0.0000123,
    cache: 'miss',
    clientAborted: false,
    attempts: [{ model: 'ollama/gemma3:4b', reason: 'network' }],
  });
});

test('a summary holds no content: neither the body nor an attempt message that quotes it', () => {
  assert.doesNotMatch(JSON.stringify(summarize(END, 1)), /secret/);
});

test('a refused request: no answer, no usage, no cost', () => {
  const refused = summarize({ ...END, resolved: undefined, provider: undefined, model: undefined, status: 429, errorCode: 'rate_limited', ttftMs: undefined, usage: undefined, costUsd: undefined, cache: undefined, attempts: [] }, 5);
  assert.deepEqual([refused.resolved, refused.errorCode, refused.ttftMs, refused.promptTokens, refused.costUsd, refused.cache], [null, 'rate_limited', null, null, null, null]);
});

test('the ring keeps the newest, newest first, and never more than its capacity', () => {
  const ring = new RecentRequests(3);
  const at = (n: number) => ({ ...summarize(END, n), requestId: `r${n}` }) as RequestSummary;
  assert.deepEqual(ring.list(), []);
  ring.add(at(1));
  ring.add(at(2));
  assert.deepEqual(ring.list().map((s) => s.requestId), ['r2', 'r1']);
  for (let n = 3; n <= 7; n++) ring.add(at(n));
  assert.deepEqual(ring.list().map((s) => s.requestId), ['r7', 'r6', 'r5']);
});
