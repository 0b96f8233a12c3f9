import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { PriceTable, readShippedPrices } from '../../core/callers/price-table.ts';
import { PROJECT_ROOT } from '../../core/project-root.ts';
import { FakeOllama } from '../helpers/fake-ollama.ts';
import { FakeOpenAI } from '../helpers/fake-openai.ts';
import { startRedisServer, type RedisServerHandle } from '../helpers/redis-server.ts';
import { aliasFile, callersFile, startTestGateway, upstreamEnv, type TestGateway } from '../helpers/test-gateway.ts';

// Cost and usage end to end, on Redis (the response cache and the usage ledger both): a stream and a
// whole answer with the same counts cost the same to the nano-dollar, and GET /v1/usage is exactly the
// sum of 200 mixed requests of three callers — chat whole and streamed, Responses whole and streamed,
// local and cloud models, a fallback, cache hits — as each caller saw them.

const CALLERS = `
callers:
  chat: { keys: [chat-key] }
  web: { keys: [web-key] }
  batch: { keys: [batch-key] }
  ops: { keys: [ops-key], admin: true }
`;
const ALIASES = `
aliases:
  mana/fast-text:
    chain: [ollama/gemma3:4b, groq/llama-3.1-8b-instant]
`;
const GROQ = 'groq/llama-3.1-8b-instant';

const ollama = new FakeOllama();
const groq = new FakeOpenAI();
let redis: RedisServerHandle;
let gateway: TestGateway;
let prices: PriceTable;

before(async () => {
  redis = await startRedisServer();
  await ollama.start();
  await groq.start();
  ollama.reply({ text: 'local answer', usage: { prompt: 9, completion: 4 } });
  groq.reply({ text: 'cloud answer in a few pieces', usage: { prompt: 1234, completion: 567 } });
  prices = new PriceTable(await readShippedPrices(PROJECT_ROOT));
  gateway = await startTestGateway({
    ...upstreamEnv({ ollama, groq }),
    ALIASES_PATH: aliasFile(ALIASES),
    CALLERS_PATH: callersFile(CALLERS),
    REDIS_URL: redis.url,
  });
});

after(async () => {
  await gateway.close();
  await ollama.stop();
  await groq.stop();
  await redis.close();
});

interface Seen {
  caller: string;
  model: string;
  prompt: number;
  completion: number;
  costNano: number;
  hit: boolean;
}

async function post(key: string, path: string, body: Record<string, unknown>): Promise<{ headers: Headers; text: string; status: number }> {
  const response = await fetch(`${gateway.baseURL}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

/** One request, and what its caller saw of it: the model, the provider's counts, the cost, a cache hit. */
async function send(caller: string, kind: 'chat' | 'chat-stream' | 'responses' | 'responses-stream', model: string, prompt: string): Promise<Seen> {
  const key = `${caller}-key`;
  const stream = kind.endsWith('stream');
  const reply = kind.startsWith('chat')
    ? await post(key, '/chat/completions', { model, stream, messages: [{ role: 'user', content: prompt }], ...(stream ? { stream_options: { include_usage: true } } : {}) })
    : await post(key, '/responses', { model, stream, input: prompt, store: false });
  assert.equal(reply.status, 200, reply.text);
  const resolved = reply.headers.get('x-mana-llm-resolved')!;
  let prompt_tokens: number;
  let completion_tokens: number;
  if (kind === 'chat') ({ prompt_tokens, completion_tokens } = JSON.parse(reply.text).usage);
  else if (kind === 'responses') ({ input_tokens: prompt_tokens, output_tokens: completion_tokens } = JSON.parse(reply.text).usage);
  else if (kind === 'chat-stream') {
    const last = reply.text.split('\n\n').filter((b) => b.startsWith('data: {')).map((b) => JSON.parse(b.slice(6)) as { usage?: Record<string, number> }).filter((c) => c.usage).pop()!;
    ({ prompt_tokens, completion_tokens } = last.usage as { prompt_tokens: number; completion_tokens: number });
  } else {
    const completed = reply.text.split('\n\n').find((b) => b.startsWith('event: response.completed'))!;
    ({ input_tokens: prompt_tokens, output_tokens: completion_tokens } = JSON.parse(completed.slice(completed.indexOf('data: ') + 6)).response.usage);
  }
  const hit = reply.headers.get('x-mana-llm-cache') === 'hit';
  const local = resolved.startsWith('ollama/');
  const usage = { prompt_tokens, completion_tokens, total_tokens: prompt_tokens + completion_tokens };
  const costNano = hit || local ? 0 : prices.costNanoUsd(resolved, usage)!;
  if (!stream) {
    // A whole answer says what it cost; a stream's headers left before its usage was known.
    const header = reply.headers.get('x-mana-llm-cost');
    assert.equal(header, hit || local ? '0' : String(costNano / 1e9).replace(/0+$/, ''), `${kind} ${resolved}`);
  } else {
    assert.equal(reply.headers.get('x-mana-llm-cost'), null);
  }
  return { caller, model: resolved, prompt: hit ? 0 : prompt_tokens, completion: hit ? 0 : completion_tokens, costNano, hit };
}

const usage = async (query = '') => {
  const response = await fetch(`${gateway.baseURL}/usage${query}`, { headers: { authorization: 'Bearer ops-key' } });
  assert.equal(response.status, 200);
  return (await response.json()) as { rows: Array<{ caller: string; model: string; [field: string]: any }> };
};

test('a streamed and a whole answer with the same counts cost the same, to the nano-dollar', async () => {
  const whole = await send('chat', 'chat', GROQ, 'same counts, whole');
  const streamed = await send('chat', 'chat-stream', GROQ, 'same counts, streamed');
  assert.equal(whole.prompt, streamed.prompt);
  assert.equal(whole.completion, streamed.completion);
  assert.ok(whole.costNano > 0);
  await new Promise((resolve) => setTimeout(resolve, 100));
  const row = (await usage('?caller=chat')).rows.find((r) => r.model === GROQ)!;
  assert.equal(row.requests, 2);
  assert.equal(Math.round(row.cost_usd * 1e9), 2 * whole.costNano);
});

test('GET /v1/usage is the sum of 200 mixed requests of three callers', async () => {
  const before = await usage();
  const kinds = ['chat', 'chat-stream', 'responses', 'responses-stream'] as const;
  const callers = ['chat', 'web', 'batch'];
  const seen: Seen[] = [];
  for (let i = 0; i < 200; i++) {
    const caller = callers[i % 3]!;
    const kind = kinds[(i >> 1) % 4]!;
    const model = i % 5 === 0 ? 'mana/fast-text' : i % 5 === 1 ? 'gemma3:4b' : GROQ;
    // Every seventh request repeats an earlier prompt of the same caller: the cache answers it (a whole answer's entry serves a stream too).
    const prompt = i % 7 === 6 ? `repeat ${caller} ${model}` : `question ${i}`;
    const fallback = model === 'mana/fast-text' && i % 3 === 0 && !prompt.startsWith('repeat');
    if (fallback) ollama.fault({ path: '/api/chat', status: 503, times: 1 }); // the alias falls through to the cloud
    const one = await send(caller, kind, model, prompt);
    if (fallback) assert.equal(one.model, GROQ);
    ollama.clearFaults();
    seen.push(one);
  }
  assert.ok(seen.some((s) => s.hit), 'some answers came from the cache');
  assert.ok(seen.some((s) => s.model === GROQ) && seen.some((s) => s.model.startsWith('ollama/')));
  await new Promise((resolve) => setTimeout(resolve, 200));

  const key = (r: { caller: string; model: string }) => `${r.caller} ${r.model}`;
  const expected = new Map<string, { requests: number; prompt: number; completion: number; cost: number; hits: number }>();
  for (const row of before.rows) expected.set(key(row), { requests: row.requests, prompt: row.prompt_tokens, completion: row.completion_tokens, cost: Math.round(row.cost_usd * 1e9), hits: row.cache_hits });
  for (const s of seen) {
    const total = expected.get(key(s)) ?? { requests: 0, prompt: 0, completion: 0, cost: 0, hits: 0 };
    total.requests += 1;
    total.prompt += s.prompt;
    total.completion += s.completion;
    total.cost += s.costNano;
    total.hits += s.hit ? 1 : 0;
    expected.set(key(s), total);
  }
  const after = await usage();
  const got = new Map(after.rows.map((r) => [key(r), { requests: r.requests, prompt: r.prompt_tokens, completion: r.completion_tokens, cost: Math.round(r.cost_usd * 1e9), hits: r.cache_hits }]));
  assert.deepEqual(Object.fromEntries([...got].sort()), Object.fromEntries([...expected].sort()));
  for (const row of after.rows.filter((r) => r.cache_hits > 0 && r.model === GROQ)) assert.ok(row.saved_usd > 0, 'a cache hit records what it saved');
});
