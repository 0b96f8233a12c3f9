import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import type { FallbackEvent } from '../../core/contracts/events.ts';
import { FakeOllama } from '../helpers/fake-ollama.ts';
import { FakeOpenAI } from '../helpers/fake-openai.ts';
import { postChat } from '../helpers/sse.ts';
import { aliasFile, startTestGateway, upstreamEnv, type TestGateway } from '../helpers/test-gateway.ts';

// Chain fallback against fault-injecting fakes: which failures fall through to the next entry, which go
// straight back to the caller, and what the caller sees when the chain runs out.

const ALIASES = `
aliases:
  mana/chain:
    description: local first, cloud second
    chain: [ollama/gemma3:4b, groq/llama-3.1-8b-instant]
  mana/skips:
    description: an unconfigured entry first
    chain: [together/some-model, ollama/gemma3:4b, groq/llama-3.1-8b-instant]
  mana/vision:
    description: the first model cannot see
    chain: [ollama/llama3.1:8b, groq/gpt-4o-mini]
`;

const ollama = new FakeOllama();
const groq = new FakeOpenAI();
let gateway: TestGateway;
let fallbacks: FallbackEvent[] = [];
const ask = (model: string, extra: Record<string, unknown> = {}) =>
  postChat(gateway.baseURL, { model, messages: [{ role: 'user', content: 'hello' }], ...extra });
const ollamaFailures = () => gateway.services.health.all().find((p) => p.name === 'ollama')!.consecutiveFailures;

before(async () => {
  await ollama.start();
  await groq.start();
});

// A fresh gateway per test: each starts with closed circuits, whatever the test before it did.
beforeEach(async () => {
  ollama.reply({ text: 'from ollama' });
  groq.reply({ text: 'from groq' });
  fallbacks = [];
  gateway = await startTestGateway({
    ...upstreamEnv({ ollama, groq }),
    ALIASES_PATH: aliasFile(ALIASES),
    // High, so that these classification tests never open a circuit; the breaker has its own tests.
    CIRCUIT_FAILURE_THRESHOLD: '1000',
    FIRST_TOKEN_TIMEOUT: '0.4',
    STALL_TIMEOUT: '0.4',
  });
  gateway.services.events.on('fallback', (e) => fallbacks.push(e));
});

afterEach(async () => {
  await gateway.close();
  ollama.clearFaults();
  groq.clearFaults();
});

after(async () => {
  await ollama.stop();
  await groq.stop();
});

describe('retryable failures fall through to the next entry', () => {
  const cases: Array<[string, Parameters<FakeOllama['fault']>[0], string]> = [
    ['connection reset', { path: '/api/chat', reset: true }, 'connection_error'],
    ['HTTP 500', { path: '/api/chat', status: 500 }, 'upstream_5xx'],
    ['HTTP 503', { path: '/api/chat', status: 503 }, 'upstream_5xx'],
    ['HTTP 429', { path: '/api/chat', status: 429, headers: { 'Retry-After': '1' } }, 'rate_limited'],
    ['a malformed 200', { path: '/api/chat', rawBody: '{"not": "an ollama answer"' }, 'protocol_error'],
  ];
  for (const [what, fault, reason] of cases) {
    for (const stream of [false, true]) {
      test(`${what} (${stream ? 'stream' : 'json'})`, async () => {
        ollama.fault({ ...fault, times: 1 });
        const before = groq.requestsTo('/v1/chat').length;
        const answer = await ask('mana/chain', { stream });
        assert.equal(answer.status, 200);
        assert.equal(answer.headers.get('x-mana-llm-resolved'), 'groq/llama-3.1-8b-instant');
        if (stream) {
          assert.equal(answer.text, 'from groq');
          assert.equal(answer.done, true);
          assert.ok(answer.events.every((e) => e.model === 'groq/llama-3.1-8b-instant'), 'no ollama chunk spliced in');
        } else {
          assert.equal(answer.events[0].choices[0].message.content, 'from groq');
        }
        assert.equal(groq.requestsTo('/v1/chat').length, before + 1);
        assert.deepEqual(
          fallbacks.map((f) => [f.from, f.to, f.reason]),
          [['ollama/gemma3:4b', 'groq/llama-3.1-8b-instant', reason]],
        );
      });
    }
  }

  test('a first token slower than FIRST_TOKEN_TIMEOUT falls through', async () => {
    ollama.fault({ path: '/api/chat', delayMs: 1500, times: 1 });
    const seen = ollama.requestsTo('/api/chat').length;
    const started = Date.now();
    const answer = await ask('mana/chain', { stream: true });
    assert.equal(answer.headers.get('x-mana-llm-resolved'), 'groq/llama-3.1-8b-instant');
    assert.equal(answer.text, 'from groq');
    assert.ok(Date.now() - started < 1400, 'did not wait for the slow provider');
    assert.equal(fallbacks[0]?.reason, 'timeout');
    // The abandoned upstream request (this test's, not an earlier one) was aborted, not left generating.
    const abandoned = await ollama.onlyRequestSince('/api/chat', seen);
    await waitFor(() => abandoned.abortedAt !== undefined);
  });

  test('a stopped Ollama (connection refused) falls through', async () => {
    const port = Number(new URL(ollama.url).port);
    await ollama.stop();
    try {
      const answer = await ask('mana/chain');
      assert.equal(answer.status, 200);
      assert.equal(answer.headers.get('x-mana-llm-resolved'), 'groq/llama-3.1-8b-instant');
      assert.equal(fallbacks[0]?.reason, 'connection_error');
    } finally {
      await ollama.start(port);
    }
  });
});

describe('non-retryable failures return at once and leave the next entry alone', () => {
  const cases: Array<[string, Parameters<FakeOllama['fault']>[0], number, string, RegExp]> = [
    ['a 400 the caller caused', { path: '/api/chat', status: 400, message: 'invalid option num_predict' }, 400, 'invalid_request', /invalid option num_predict/],
    ['another 4xx the caller caused', { path: '/api/chat', status: 422, message: 'unprocessable prompt' }, 422, 'invalid_request', /unprocessable prompt/],
  ];
  for (const [what, fault, status, code, message] of cases) {
    test(what, async () => {
      ollama.fault({ ...fault, times: 1 });
      const before = groq.requestsTo('/v1/chat').length;
      const failuresBefore = ollamaFailures();
      const answer = await ask('mana/chain');
      assert.equal(answer.status, status);
      assert.equal(answer.events[0].error.code, code);
      assert.match(answer.events[0].error.message, message);
      assert.equal(groq.requestsTo('/v1/chat').length, before, 'the next entry was not tried');
      assert.equal(gateway.services.health.isHealthy('ollama'), true, 'the provider stays healthy');
      assert.equal(ollamaFailures(), failuresBefore, 'its failure count is unchanged');
    });
  }
});

describe('inside an alias chain, an entry that can never answer moves on without touching health; a direct model returns it', () => {
  const cases: Array<[string, Parameters<FakeOllama['fault']>[0], number, string, string]> = [
    ['a rejected provider key', { path: '/api/chat', status: 401, message: 'unauthorized' }, 502, 'provider_auth_error', 'provider_auth_error'],
    ['a model Ollama has not pulled', { path: '/api/chat', status: 404, message: "model 'gemma3:4b' not found" }, 404, 'model_not_found', 'model_not_found'],
  ];
  for (const [what, fault, directStatus, directCode, reason] of cases) {
    test(what, async () => {
      // One failure before, so that a reset of the count would show.
      gateway.services.health.fail('ollama', 'upstream_5xx');
      ollama.fault({ ...fault, times: 1 });
      const before = groq.requestsTo('/v1/chat').length;
      const answer = await ask('mana/chain');
      assert.equal(answer.status, 200);
      assert.equal(answer.headers.get('x-mana-llm-resolved'), 'groq/llama-3.1-8b-instant');
      assert.equal(groq.requestsTo('/v1/chat').length, before + 1, 'the next entry answered');
      assert.deepEqual(fallbacks.map((f) => [f.from, f.to, f.reason]), [['ollama/gemma3:4b', 'groq/llama-3.1-8b-instant', reason]]);
      assert.equal(ollamaFailures(), 1, 'the failure count is neither raised nor reset');

      ollama.fault({ ...fault, times: 1 });
      const direct = await ask('ollama/gemma3:4b');
      assert.equal(direct.status, directStatus);
      assert.equal(direct.events[0].error.code, directCode);
      assert.equal(ollamaFailures(), 1);
    });
  }
});

describe('skips and the attempt log', () => {
  test('an unconfigured provider is skipped with its reason', async () => {
    const answer = await ask('mana/skips');
    assert.equal(answer.status, 200);
    assert.equal(answer.headers.get('x-mana-llm-resolved'), 'ollama/gemma3:4b');
    assert.deepEqual(fallbacks.map((f) => [f.from, f.reason]), [['together/some-model', 'unconfigured']]);
  });

  test('an entry whose model lacks a capability the request needs is skipped', async () => {
    const image = { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } };
    const answer = await postChat(gateway.baseURL, { model: 'mana/vision', messages: [{ role: 'user', content: [{ type: 'text', text: 'what?' }, image] }] });
    assert.equal(answer.status, 200);
    assert.equal(answer.headers.get('x-mana-llm-resolved'), 'groq/gpt-4o-mini');
    assert.deepEqual(fallbacks.map((f) => [f.from, f.reason]), [['ollama/llama3.1:8b', 'capability']]);
  });

  test('a chain that runs out is a 503 listing every entry with its reason', async () => {
    ollama.fault({ path: '/api/chat', status: 500, times: 1 });
    groq.fault({ path: '/v1/chat', reset: true, times: 1 });
    const answer = await ask('mana/skips');
    assert.equal(answer.status, 503);
    const { error } = answer.events[0];
    assert.equal(error.code, 'no_healthy_provider');
    assert.deepEqual(
      error.attempts.map((a: { model: string; reason: string }) => [a.model, a.reason]),
      [
        ['together/some-model', 'unconfigured'],
        ['ollama/gemma3:4b', 'upstream_5xx'],
        ['groq/llama-3.1-8b-instant', 'connection_error'],
      ],
    );
  });

  test('a chain where every attempt was rate-limited is a 429 with Retry-After', async () => {
    ollama.fault({ path: '/api/chat', status: 429, headers: { 'Retry-After': '3' }, times: 1 });
    groq.fault({ path: '/v1/chat', status: 429, headers: { 'Retry-After': '5' }, times: 1 });
    const answer = await ask('mana/chain');
    assert.equal(answer.status, 429);
    assert.equal(answer.events[0].error.code, 'rate_limited');
    assert.equal(answer.headers.get('retry-after'), '3');
  });

  test('a direct provider/model never falls back', async () => {
    ollama.fault({ path: '/api/chat', status: 500, times: 1 });
    const answer = await ask('ollama/gemma3:4b');
    assert.equal(answer.status, 503);
    assert.deepEqual(answer.events[0].error.attempts.map((a: { reason: string }) => a.reason), ['upstream_5xx']);
  });
});

describe('streams after their first byte', () => {
  test('a cut after the first chunk ends with one error event and no [DONE], with no second voice', async () => {
    ollama.reply({ text: 'abcdefghijklmnop', chunkSize: 2 });
    ollama.fault({ path: '/api/chat', cutAfterChunks: 3, times: 1 });
    const before = groq.requestsTo('/v1/chat').length;
    const answer = await ask('mana/chain', { stream: true });
    assert.equal(answer.status, 200);
    assert.equal(answer.done, false, 'a cut answer never ends with [DONE]');
    const last = answer.events.at(-1);
    assert.ok(last.error, 'the last event is an error');
    assert.equal(last.error.code, 'upstream_error');
    assert.match(last.error.message, /dropped while reading the answer/, 'says the answer was cut, not that the upstream is unreachable');
    assert.equal(answer.events.filter((e) => e.error).length, 1);
    assert.ok(answer.events.filter((e) => !e.error).every((e) => e.model === 'ollama/gemma3:4b'), 'every chunk before the error came from ollama');
    assert.equal(groq.requestsTo('/v1/chat').length, before, 'no fallback after the first byte');
  });

  test('a stall longer than STALL_TIMEOUT ends the stream with a timeout error event', async () => {
    ollama.reply({ text: 'abcdefghijklmnop', chunkSize: 2 });
    ollama.fault({ path: '/api/chat', stallAfterChunks: 2, times: 1 });
    const seen = ollama.requestsTo('/api/chat').length;
    const answer = await ask('mana/chain', { stream: true });
    assert.equal(answer.done, false);
    assert.equal(answer.events.at(-1).error.code, 'timeout');
    assert.equal(answer.text, 'abcd');
    const stalled = await ollama.onlyRequestSince('/api/chat', seen);
    await waitFor(() => stalled.abortedAt !== undefined);
  });

  test('an upstream error line mid-stream becomes the error event', async () => {
    ollama.reply({ text: 'abcdefghijklmnop', chunkSize: 2 });
    ollama.failStreamAfter(2, 'CUDA out of memory');
    const answer = await ask('mana/chain', { stream: true });
    ollama.failStreamAfter(Number.MAX_SAFE_INTEGER, '');
    assert.equal(answer.done, false);
    assert.match(answer.events.at(-1).error.message, /CUDA out of memory/);
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 1000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) assert.fail(`condition not met within ${timeoutMs}ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
