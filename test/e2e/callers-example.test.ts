import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { PROJECT_ROOT } from '../../core/project-root.ts';
import { FakeOllama } from '../helpers/fake-ollama.ts';
import { FakeOpenAI } from '../helpers/fake-openai.ts';
import { sleep } from '../helpers/fake-server.ts';
import { postChat } from '../helpers/sse.ts';
import { startTestGateway, upstreamEnv, type TestGateway } from '../helpers/test-gateway.ts';

// As a new user would try it: the shipped profile, the shipped aliases and the shipped example callers
// file (callers.example.yaml) with its documented example keys. Every refusal of the callers file
// happens with its status, code and message, and the fakes' logs show that nothing went upstream for it.

const ollama = new FakeOllama();
const groq = new FakeOpenAI();
let gateway: TestGateway;
const KEYS = {
  chat: 'example-chat-backend-key',
  web: 'example-web-app-key',
  enrichment: 'example-enrichment-key',
  private: 'example-private-notes-key',
  admin: 'example-admin-key',
};
const upstreamCount = () => ollama.requestsTo('/api/chat').length + groq.requestsTo('/v1/chat').length;
const ask = (key: string | undefined, model: string, content = 'hello') =>
  postChat(gateway.baseURL, { model, messages: [{ role: 'user', content }] }, key ? { authorization: `Bearer ${key}` } : {});

async function refused(key: string | undefined, model: string, status: number, code: string, message: RegExp) {
  const before = upstreamCount();
  const answer = await ask(key, model);
  assert.equal(answer.status, status, answer.raw);
  assert.equal(answer.events[0].error.code, code);
  assert.match(answer.events[0].error.message, message);
  await sleep(20);
  assert.equal(upstreamCount(), before, `nothing went upstream for ${model}`);
  return answer;
}

before(async () => {
  await ollama.start();
  await groq.start();
  ollama.reply({ text: 'from the GPU box', usage: { prompt: 10, completion: 5 } });
  gateway = await startTestGateway({
    ...upstreamEnv({ ollama, groq }),
    ALIASES_PATH: join(PROJECT_ROOT, 'aliases.yaml'),
    CALLERS_PATH: join(PROJECT_ROOT, 'callers.example.yaml'),
  });
});

after(async () => {
  await gateway.close();
  await ollama.stop();
  await groq.stop();
});

test('the example keys open the gateway; no key or another key is a 401', async () => {
  for (const key of Object.values(KEYS)) assert.equal((await ask(key, 'mana/fast-text')).status, 200, key);
  await refused(undefined, 'mana/fast-text', 401, 'unauthorized', /Missing or invalid API key/);
  await refused('not-an-example-key', 'mana/fast-text', 401, 'unauthorized', /Missing or invalid API key/);
});

test('outside its models list, or a cloud model for the local-only caller: 403 model_not_allowed', async () => {
  await refused(KEYS.web, 'mana/long-form', 403, 'model_not_allowed', /caller "web-app" may not use "mana\/long-form"/);
  await refused(KEYS.chat, 'groq/llama-3.1-8b-instant', 403, 'model_not_allowed', /caller "chat-backend" may not use "groq\/llama-3.1-8b-instant"/);
  await refused(KEYS.private, 'groq/llama-3.1-8b-instant', 403, 'model_not_allowed', /caller "private-notes" is local-only and "groq\/llama-3.1-8b-instant" is a cloud model/);
  // An alias with a local entry is served to the local-only caller by that entry alone.
  const local = await ask(KEYS.private, 'mana/fast-text');
  assert.equal(local.headers.get('x-mana-llm-resolved'), 'ollama/gemma3:4b');
});

test('over its requests per minute: 429 rate_limited naming the limit, with Retry-After', async () => {
  // enrichment: 60 requests per minute (and 4 in flight, so they go one after another).
  let answered = 0;
  for (let i = 0; i < 70 && answered < 60; i++) if ((await ask(KEYS.enrichment, 'mana/fast-text', `item ${i}`)).status === 200) answered++;
  const answer = await refused(KEYS.enrichment, 'mana/fast-text', 429, 'rate_limited', /caller "enrichment" is over its limit of 60 requests per minute \(limits\.requestsPerMinute in the callers file\)/);
  assert.ok(Number(answer.headers.get('retry-after')) >= 1);
});

test('at its concurrency: 429 rate_limited naming limits.concurrent', async () => {
  // web-app: 10 in flight. Ten slow answers hold them.
  ollama.fault({ path: '/api/chat', delayMs: 600, times: 10 });
  const held = Array.from({ length: 10 }, (_, i) => ask(KEYS.web, 'mana/fast-text', `slow ${i}`));
  await sleep(200);
  await refused(KEYS.web, 'mana/fast-text', 429, 'rate_limited', /caller "web-app" has 10 requests in flight, its limit \(limits\.concurrent/);
  for (const answer of await Promise.all(held)) assert.equal(answer.status, 200);
});

test('over its tokens per minute, then its daily budget: 429 rate_limited, then 429 budget_exceeded', async () => {
  const budgeted = await startTestGateway({
    ...upstreamEnv({ ollama, groq }),
    ALIASES_PATH: join(PROJECT_ROOT, 'aliases.yaml'),
    CALLERS_PATH: join(PROJECT_ROOT, 'callers.example.yaml'),
  });
  try {
    const askHere = (content: string) => postChat(budgeted.baseURL, { model: 'mana/fast-text', messages: [{ role: 'user', content }] }, { authorization: `Bearer ${KEYS.enrichment}` });
    // The GPU box is down, so the alias is answered by Groq: 40 M prompt tokens at $0.05 per 1M is $2, the day's budget.
    ollama.fault({ path: '/api/chat', status: 503 });
    groq.reply({ text: 'an expensive answer', usage: { prompt: 40_000_000, completion: 0 } });
    const expensive = await askHere('one big document');
    assert.equal(expensive.status, 200);
    assert.equal(expensive.headers.get('x-mana-llm-resolved'), 'groq/llama-3.1-8b-instant');
    assert.equal(expensive.headers.get('x-mana-llm-cost'), '2');
    await sleep(50);
    const before = upstreamCount();
    const overBudget = await askHere('one more');
    assert.equal(overBudget.status, 429, overBudget.raw);
    assert.equal(overBudget.events[0].error.code, 'budget_exceeded');
    assert.match(overBudget.events[0].error.message, /caller "enrichment" has spent \$2\.000000 today \(UTC\), its budget of \$2 per day \(budget\.usdPerDay/);
    assert.ok(Number(overBudget.headers.get('retry-after')) >= 1);
    assert.equal(upstreamCount(), before);
    // The budget is checked before the tokens: another caller with a token limit and no budget meets the limit.
    const chat = (content: string) => postChat(budgeted.baseURL, { model: 'mana/fast-text', messages: [{ role: 'user', content }] }, { authorization: `Bearer ${KEYS.chat}` });
    assert.equal((await chat('a long one')).status, 200);
    await sleep(50);
    const overTokens = await chat('and another');
    assert.equal(overTokens.status, 429);
    assert.match(overTokens.events[0].error.message, /caller "chat-backend" used 40000000 tokens in the last minute, at or over its limit of 200000 tokens per minute/);
  } finally {
    ollama.clearFaults();
    groq.reply({ text: 'Hello from the fake upstream.' });
    await budgeted.close();
  }
});
