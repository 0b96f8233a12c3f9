import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { FakeOllama } from '../helpers/fake-ollama.ts';
import { FakeOpenAI } from '../helpers/fake-openai.ts';
import { sleep } from '../helpers/fake-server.ts';
import { postChat } from '../helpers/sse.ts';
import { aliasFile, callersFile, startTestGateway, upstreamEnv, type TestGateway } from '../helpers/test-gateway.ts';

// Callers against a gateway with a callers file and the protocol fakes: who gets in, what each caller
// may use, its limits, priority in the GPU box's queue, and what the listing and usage routes show it.
// Every refusal is checked on the fakes' logs too: a refused request must send nothing upstream.

const CALLERS = `
callers:
  chat:
    keys: [chat-key]
    models: ["mana/*"]
    priority: high
  web:
    keys: [web-key]
    models: ["mana/fast-text"]
    limits: { requestsPerMinute: 3 }
  tokens:
    keys: [tokens-key]
    limits: { tokensPerMinute: 19 }
  single:
    keys: [single-key]
    limits: { concurrent: 1 }
  private:
    keys: [private-key]
    localOnly: true
  batch:
    keys: [batch-key]
    priority: low
  broke:
    keys: [broke-key]
    budget: { usdPerDay: 0 }
  ops:
    keys: [ops-key]
    admin: true
`;

const ALIASES = `
default: mana/fast-text
aliases:
  mana/fast-text:
    chain: [ollama/gemma3:4b, groq/llama-3.1-8b-instant]
  mana/cloud:
    chain: [groq/llama-3.1-8b-instant]
`;

const ollama = new FakeOllama();
const groq = new FakeOpenAI();
let gateway: TestGateway;
const upstreamCount = () => ollama.requestsTo('/api/chat').length + groq.requestsTo('/v1/chat').length;
const ask = (key: string | undefined, body: Record<string, unknown> = {}) =>
  postChat(gateway.baseURL, { model: 'mana/fast-text', messages: [{ role: 'user', content: 'hello' }], ...body }, key ? { authorization: `Bearer ${key}` } : {});
const getJson = async (path: string, key: string) => {
  const response = await fetch(`${gateway.baseURL}${path}`, { headers: { authorization: `Bearer ${key}` } });
  return { status: response.status, body: (await response.json()) as any };
};

/** Sends a request that must be refused, and checks that nothing reached an upstream for it. */
async function refused(key: string | undefined, body: Record<string, unknown>, status: number, code: string, message: RegExp) {
  const before = upstreamCount();
  const answer = await ask(key, body);
  assert.equal(answer.status, status, answer.raw);
  assert.equal(answer.events[0].error.code, code);
  assert.match(answer.events[0].error.message, message);
  await sleep(20);
  assert.equal(upstreamCount(), before, 'nothing went upstream');
  return answer;
}

before(async () => {
  await ollama.start();
  await groq.start();
  gateway = await startTestGateway({
    ...upstreamEnv({ ollama, groq }),
    ALIASES_PATH: aliasFile(ALIASES),
    CALLERS_PATH: callersFile(CALLERS),
    API_KEYS: 'default-key',
    OLLAMA_MAX_CONCURRENT: '1',
    OLLAMA_MAX_QUEUE: '10',
  });
});

after(async () => {
  await gateway.close();
  await ollama.stop();
  await groq.stop();
});

describe('who is calling', () => {
  test('no key or a key nobody has is a 401, sending nothing upstream', async () => {
    await refused(undefined, {}, 401, 'unauthorized', /API key/);
    await refused('nobody-has-this', {}, 401, 'unauthorized', /API key/);
  });

  test('a key of the file and a key of API_KEYS are let in; the log and usage name the caller, never the key', async () => {
    assert.equal((await ask('chat-key')).status, 200);
    assert.equal((await ask('default-key')).status, 200);
    await sleep(20);
    const usage = await getJson('/usage', 'ops-key');
    const callers = usage.body.rows.map((r: { caller: string }) => r.caller);
    assert.ok(callers.includes('chat') && callers.includes('default'), JSON.stringify(usage.body));
    assert.equal(JSON.stringify(usage.body).includes('chat-key'), false);
  });
});

describe('what a caller may use', () => {
  test('a model outside its list is a 403 model_not_allowed naming the list', async () => {
    await refused('web', {}, 401, 'unauthorized', /API key/);
    await refused('web-key', { model: 'mana/cloud' }, 403, 'model_not_allowed', /caller "web" may not use "mana\/cloud"; its models list allows mana\/fast-text/);
    await refused('chat-key', { model: 'groq/llama-3.1-8b-instant' }, 403, 'model_not_allowed', /may not use "groq\/llama-3.1-8b-instant"/);
    await refused('chat-key', { model: 'gemma3:4b' }, 403, 'model_not_allowed', /may not use "ollama\/gemma3:4b"/);
  });

  test('GET /v1/models lists only what the caller may use', async () => {
    const web = await getJson('/models', 'web-key');
    assert.deepEqual(web.body.data.map((m: { id: string }) => m.id), ['mana/fast-text']);
    const chat = await getJson('/models', 'chat-key');
    assert.deepEqual(chat.body.data.map((m: { id: string }) => m.id).sort(), ['mana/cloud', 'mana/fast-text']);
    const everything = await getJson('/models', 'ops-key');
    assert.ok(everything.body.data.some((m: { id: string }) => m.id.startsWith('ollama/')));
    assert.equal((await getJson('/models/mana%2Fcloud', 'web-key')).status, 403);
  });

  test('a local-only caller: cloud entries are skipped as policy, a cloud model or an all-cloud alias is a 403', async () => {
    await refused('private-key', { model: 'groq/llama-3.1-8b-instant' }, 403, 'model_not_allowed', /local-only and "groq\/llama-3.1-8b-instant" is a cloud model/);
    await refused('private-key', { model: 'mana/cloud' }, 403, 'model_not_allowed', /every entry of mana\/cloud is a cloud model/);
    const groqBefore = groq.requestsTo('/v1/chat').length;
    ollama.fault({ path: '/api/chat', status: 500, times: 1 });
    const down = await ask('private-key');
    assert.equal(down.status, 503, down.raw);
    assert.deepEqual(down.events[0].error.attempts.map((a: { reason: string }) => a.reason), ['upstream_5xx', 'policy']);
    assert.equal(groq.requestsTo('/v1/chat').length, groqBefore, 'the cloud entry was never called');
    const up = await ask('private-key');
    assert.equal(up.status, 200);
    assert.equal(up.headers.get('x-mana-llm-resolved'), 'ollama/gemma3:4b');
    // Another caller falls through to the cloud as always.
    ollama.fault({ path: '/api/chat', status: 500, times: 1 });
    assert.equal((await ask('chat-key')).headers.get('x-mana-llm-resolved'), 'groq/llama-3.1-8b-instant');
  });
});

describe('limits and budget', () => {
  test('requests per minute: the next request is a 429 naming the limit, with Retry-After', async () => {
    for (let i = 0; i < 3; i++) assert.equal((await ask('web-key')).status, 200);
    const answer = await refused('web-key', {}, 429, 'rate_limited', /caller "web" is over its limit of 3 requests per minute \(limits.requestsPerMinute/);
    const wait = Number(answer.headers.get('retry-after'));
    assert.ok(wait >= 1 && wait <= 60, `Retry-After ${wait}`);
  });

  test('tokens per minute: admitted while the minute is below the limit, refused once an answer reached it', async () => {
    ollama.reply({ text: 'counted', usage: { prompt: 12, completion: 7 } });
    assert.equal((await ask('tokens-key')).status, 200);
    await sleep(20);
    const answer = await refused('tokens-key', {}, 429, 'rate_limited', /used 19 tokens in the last minute, at or over its limit of 19 tokens per minute/);
    assert.ok(Number(answer.headers.get('retry-after')) >= 1);
  });

  test('concurrent: a second request while one is in flight is a 429', async () => {
    ollama.fault({ path: '/api/chat', delayMs: 400, times: 1 });
    const first = ask('single-key');
    await sleep(100);
    await refused('single-key', {}, 429, 'rate_limited', /caller "single" has 1 requests in flight, its limit \(limits.concurrent/);
    assert.equal((await first).status, 200);
    assert.equal((await ask('single-key')).status, 200, 'the slot came back');
  });

  test('a spent budget is a 429 budget_exceeded until the next UTC day', async () => {
    const answer = await refused('broke-key', {}, 429, 'budget_exceeded', /caller "broke" has spent \$0\.000000 today \(UTC\), its budget of \$0 per day/);
    const wait = Number(answer.headers.get('retry-after'));
    assert.ok(wait >= 1 && wait <= 86_400, `Retry-After ${wait}`);
  });

  test('every refusal is counted by caller and limit', async () => {
    const text = await (await fetch(`${gateway.url}/metrics`, { headers: { authorization: 'Bearer ops-key' } })).text();
    for (const [caller, limit] of [['web', 'model'], ['web', 'requests_per_minute'], ['tokens', 'tokens_per_minute'], ['single', 'concurrent'], ['broke', 'budget'], ['private', 'model']]) {
      assert.match(text, new RegExp(`mana_llm_caller_rejected_total\\{caller="${caller}",limit="${limit}"\\} [1-9]`), `${caller} ${limit}`);
    }
    assert.match(text, /mana_llm_caller_requests_total\{caller="chat",status="200"\} [1-9]/);
  });
});

describe('priority in the capped provider\'s queue', () => {
  test('a high request queued after a low one reaches Ollama first', async () => {
    ollama.reply((body: { messages: Array<{ content: string }> }) => ({ text: `answer to ${body.messages[0]!.content}` }));
    // The one slot (OLLAMA_MAX_CONCURRENT=1) is held while the other two queue behind it.
    ollama.fault({ path: '/api/chat', delayMs: 400, times: 1 });
    const seen = ollama.requestsTo('/api/chat').length;
    const holder = ask('ops-key', { messages: [{ role: 'user', content: 'holder' }] });
    await sleep(100);
    const low = ask('batch-key', { messages: [{ role: 'user', content: 'low' }] });
    await sleep(50);
    const high = ask('chat-key', { messages: [{ role: 'user', content: 'high' }] });
    const answers = await Promise.all([holder, low, high]);
    assert.deepEqual(answers.map((a) => a.status), [200, 200, 200]);
    const order = ollama.requestsTo('/api/chat').slice(seen).map((r) => r.body.messages[0].content);
    assert.deepEqual(order, ['holder', 'high', 'low']);
  });
});

describe('GET /v1/usage', () => {
  test('a caller sees only itself; another caller\'s rows need an admin', async () => {
    const own = await getJson('/usage', 'web-key');
    assert.equal(own.status, 200);
    assert.ok(own.body.rows.length > 0);
    assert.ok(own.body.rows.every((r: { caller: string }) => r.caller === 'web'));
    const other = await getJson('/usage?caller=chat', 'web-key');
    assert.equal(other.status, 403);
    assert.match(other.body.error.message, /may read only its own usage/);
    const admin = await getJson('/usage?caller=chat', 'ops-key');
    assert.ok(admin.body.rows.length > 0 && admin.body.rows.every((r: { caller: string }) => r.caller === 'chat'));
  });

  test('bad days are a 400 naming the parameter', async () => {
    for (const [query, param] of [['from=2026-13-01', 'from'], ['from=yesterday', 'from'], ['from=2026-12-05&to=2026-12-01', 'to'], ['from=2026-01-01&to=2026-12-31', 'to']]) {
      const answer = await getJson(`/usage?${query}`, 'ops-key');
      assert.equal(answer.status, 400, query);
      assert.equal(answer.body.error.param, param, query);
    }
  });
});
