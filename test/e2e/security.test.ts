import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import { FakeOllama } from '../helpers/fake-ollama.ts';
import { FakeOpenAI } from '../helpers/fake-openai.ts';
import { postChat } from '../helpers/sse.ts';
import { aliasFile, spawnGateway, upstreamEnv, type GatewayProcess } from '../helpers/test-gateway.ts';

// Who may come in, what crosses the gateway in each direction, and the limits a caller meets — against a
// real gateway process, whose log is read from its stdout.

const ollama = new FakeOllama();
const groqKey = 'sk-test-groq-key-0123456789';
const groq = new FakeOpenAI({ apiKey: groqKey });
const CALLER_KEY = 'caller-secret-key-abcdef';
let gateway: GatewayProcess & { baseURL: string };
const chat = (headers: Record<string, string> = {}, body: Record<string, unknown> = {}) =>
  postChat(gateway.baseURL, { model: 'gemma3:4b', messages: [{ role: 'user', content: 'hi' }], ...body }, headers);

before(async () => {
  await ollama.start();
  await groq.start();
  const child = await spawnGateway({
    ...upstreamEnv({ ollama, groq }),
    ALIASES_PATH: aliasFile('aliases:\n  mana/chain:\n    description: d\n    chain: [ollama/gemma3:4b, groq/llama-3.1-8b-instant]\n'),
    API_KEYS: `${CALLER_KEY}, second-key-0000`,
    GPU_API_KEY: 'gpu-key-1111',
    CORS_ORIGINS: 'http://localhost:*, https://app.example.com',
    MAX_BODY_SIZE: '64kb',
    REQUEST_READ_TIMEOUT: '1',
    OLLAMA_MAX_CONCURRENT: '1',
    OLLAMA_MAX_QUEUE: '0',
    LOG_LEVEL: 'debug',
  });
  gateway = Object.assign(child, { baseURL: `${child.url}/v1` });
});

after(async () => {
  assert.equal(await gateway.stop(), 0);
  await ollama.stop();
  await groq.stop();
});

describe('gateway API keys', () => {
  test('no key, a wrong key, or a malformed header is a 401 envelope', async () => {
    for (const headers of <Array<Record<string, string>>>[{}, { authorization: 'Bearer nope' }, { 'x-api-key': 'nope' }, { authorization: CALLER_KEY }, { authorization: `Basic ${CALLER_KEY}` }]) {
      const answer = await chat(headers);
      assert.equal(answer.status, 401, JSON.stringify(headers));
      assert.equal(answer.events[0].error.code, 'unauthorized');
      assert.match(answer.events[0].error.message, /Authorization: Bearer/);
    }
  });

  test('Bearer, X-API-Key, every key of API_KEYS and GPU_API_KEY are let in', async () => {
    for (const headers of <Array<Record<string, string>>>[{ authorization: `Bearer ${CALLER_KEY}` }, { 'x-api-key': CALLER_KEY }, { authorization: 'Bearer second-key-0000' }, { authorization: 'Bearer gpu-key-1111' }]) {
      assert.equal((await chat(headers)).status, 200, JSON.stringify(headers));
    }
  });

  test('the openai client works with its apiKey set to a gateway key', async () => {
    const client = new OpenAI({ baseURL: gateway.baseURL, apiKey: CALLER_KEY, maxRetries: 0 });
    const answer = await client.chat.completions.create({ model: 'gemma3:4b', messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(answer.model, 'ollama/gemma3:4b');
    await assert.rejects(new OpenAI({ baseURL: gateway.baseURL, apiKey: 'wrong', maxRetries: 0 }).models.list(), OpenAI.AuthenticationError);
  });

  test('/health stays open; /v1/health and /v1/models need a key', async () => {
    assert.equal((await fetch(`${gateway.url}/health`)).status, 200);
    assert.equal((await fetch(`${gateway.url}/health/`)).status, 200, 'a trailing slash changes nothing');
    assert.equal((await fetch(`${gateway.url}/v1/health`)).status, 401);
    assert.equal((await fetch(`${gateway.url}/v1/health/`)).status, 401, 'a trailing slash opens nothing');
    assert.equal((await fetch(`${gateway.url}/v1/models`)).status, 401);
  });

  test("the caller's credentials never reach an upstream", async () => {
    const ollamaSeen = ollama.requestsTo('/api/chat').length;
    const groqSeen = groq.requestsTo('/v1/chat').length;
    assert.equal((await chat({ authorization: `Bearer ${CALLER_KEY}` })).status, 200);
    assert.equal((await chat({ 'x-api-key': CALLER_KEY }, { model: 'groq/llama-3.1-8b-instant' })).status, 200);
    // The two requests this test sent on, so that the checks below cannot pass with nothing to look at.
    await ollama.onlyRequestSince('/api/chat', ollamaSeen);
    const toGroq = await groq.onlyRequestSince('/v1/chat', groqSeen);
    for (const request of [...ollama.requests, ...groq.requests]) {
      const headers = JSON.stringify(request.headers);
      assert.ok(!headers.includes(CALLER_KEY), `${request.path} carried the caller's key`);
    }
    assert.equal(toGroq.headers.authorization, `Bearer ${groqKey}`);
  });
});

describe('provider keys never leave the process', () => {
  test('an upstream that rejects our key and echoes it: the 502 says what to fix without the key', async () => {
    groq.apiKey = 'a-different-key';
    try {
      const answer = await chat({ authorization: `Bearer ${CALLER_KEY}` }, { model: 'groq/llama-3.1-8b-instant' });
      assert.equal(answer.status, 502);
      assert.equal(answer.events[0].error.code, 'provider_auth_error');
      assert.ok(!answer.raw.includes(groqKey) && !answer.raw.includes(groqKey.slice(0, 8)) && !answer.raw.includes(groqKey.slice(-4)), answer.raw);
    } finally {
      groq.apiKey = groqKey;
    }
  });

  test('the start warns about nothing here (keys are set), and no key of a caller or a provider appears in the log', () => {
    const text = gateway.output.join('\n');
    assert.ok(gateway.output.some((l) => l.includes('"component":"request"')), 'request lines were logged');
    assert.ok(!text.includes('API_KEYS is not set'), 'no open-gateway warning with keys set');
    for (const secret of [CALLER_KEY, groqKey, 'gpu-key-1111', 'second-key-0000']) assert.ok(!text.includes(secret), `${secret} in the log`);
  });
});

describe('CORS', () => {
  test('a preflight from an allowed origin (port wildcard) is answered', async () => {
    const response = await fetch(`${gateway.baseURL}/chat/completions`, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
    });
    assert.equal(response.status, 204);
    assert.equal(response.headers.get('access-control-allow-origin'), 'http://localhost:5173');
    assert.match(response.headers.get('access-control-allow-headers') ?? '', /Authorization/i);
  });

  test('an exact origin is allowed on a real request, and exposes the gateway headers', async () => {
    const answer = await chat({ authorization: `Bearer ${CALLER_KEY}`, origin: 'https://app.example.com' });
    assert.equal(answer.headers.get('access-control-allow-origin'), 'https://app.example.com');
    assert.match(answer.headers.get('access-control-expose-headers') ?? '', /X-Mana-LLM-Resolved/);
  });

  test('another origin gets no CORS grant', async () => {
    const response = await fetch(`${gateway.url}/health`, { headers: { origin: 'https://evil.example.com' } });
    assert.equal(response.headers.get('access-control-allow-origin'), null);
    const other = await fetch(`${gateway.url}/health`, { headers: { origin: 'http://localhost.evil.com:80' } });
    assert.equal(other.headers.get('access-control-allow-origin'), null);
  });
});

describe('limits', () => {
  const auth = { authorization: `Bearer ${CALLER_KEY}` };

  test('a body over MAX_BODY_SIZE is a 413 envelope', async () => {
    const answer = await chat(auth, { messages: [{ role: 'user', content: 'x'.repeat(70 * 1024) }] });
    assert.equal(answer.status, 413);
    assert.equal(answer.events[0].error.code, 'payload_too_large');
    assert.match(answer.events[0].error.message, /64kb/);
  });

  test('too many messages and a large n are 400s that name the field', async () => {
    const many = await chat(auth, { messages: Array.from({ length: 2049 }, () => ({ role: 'user', content: '' })) });
    assert.equal(many.status, 400);
    assert.equal(many.events[0].error.param, 'messages');
    const n = await chat(auth, { n: 100 });
    assert.equal(n.events[0].error.param, 'n');
  });

  test('oversized headers are refused with 431, and the process serves on', async () => {
    const response = await fetch(`${gateway.url}/health`, { headers: { 'x-padding': 'x'.repeat(20_000) } });
    assert.equal(response.status, 431);
    assert.equal((await fetch(`${gateway.url}/health`)).status, 200);
  });

  test('a client that sends its body too slowly is cut off (REQUEST_READ_TIMEOUT)', async () => {
    const { port } = new URL(gateway.url);
    const closedAfter = await new Promise<number>((resolve) => {
      const started = Date.now();
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.write(`POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${CALLER_KEY}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"mod`);
      });
      socket.on('data', () => undefined);
      socket.on('close', () => resolve(Date.now() - started));
      socket.on('error', () => undefined);
    });
    assert.ok(closedAfter < 3000, `closed after ${closedAfter}ms`);
  });

  test('over the per-provider cap: a chain falls through, a direct model gets a 429', async () => {
    ollama.fault({ path: '/api/chat', delayMs: 400, times: 1 });
    const slow = chat(auth);
    await new Promise((r) => setTimeout(r, 100));
    const [viaAlias, direct] = await Promise.all([chat(auth, { model: 'mana/chain' }), chat(auth)]);
    assert.equal((await slow).status, 200);
    assert.equal(viaAlias.status, 200);
    assert.equal(viaAlias.headers.get('x-mana-llm-resolved'), 'groq/llama-3.1-8b-instant');
    assert.equal(direct.status, 429);
    assert.equal(direct.events[0].error.code, 'rate_limited');
    assert.deepEqual(direct.events[0].error.attempts.map((a: { reason: string }) => a.reason), ['overloaded']);
  });
});
