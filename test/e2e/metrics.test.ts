import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { FakeOllama } from '../helpers/fake-ollama.ts';
import { FakeOpenAI } from '../helpers/fake-openai.ts';
import { manualClock } from '../helpers/manual-clock.ts';
import { deltas, scrapeMetrics, totalOf, valueOf, type Exposition } from '../helpers/metrics-scrape.ts';
import { postChat } from '../helpers/sse.ts';
import { aliasFile, startProfileGateway, startTestGateway, upstreamEnv, type TestGateway } from '../helpers/test-gateway.ts';

// Scripted traffic against fakes, with /metrics scraped before and after: every counter must move by
// exactly what the traffic explains, and in-flight must come back to zero however a request ended.

const ALIASES = `
aliases:
  mana/chain:
    description: a local model first (never served before the fallback test), the cloud second
    chain: [ollama/qwen2.5vl:7b, groq/llama-3.1-8b-instant]
  mana/skips:
    description: an unconfigured provider first
    chain: [together/some-model, ollama/gemma3:4b]
`;

const REQUESTS = 'mana_llm_llm_requests_total';
const DURATION_COUNT = 'mana_llm_request_duration_seconds_count';
const DURATION_SUM = 'mana_llm_request_duration_seconds_sum';
const TTFT_COUNT = 'mana_llm_time_to_first_token_seconds_count';
const TTFT_SUM = 'mana_llm_time_to_first_token_seconds_sum';
const TOKENS = 'mana_llm_tokens_total';
const FALLBACKS = 'mana_llm_fallback_total';
const ALIAS_RESOLVED = 'mana_llm_alias_resolved_total';
const UPSTREAM_ERRORS = 'mana_llm_upstream_errors_total';
const IN_FLIGHT = 'mana_llm_requests_in_flight';
const HEALTHY = 'mana_llm_provider_healthy';
const CACHE = 'mana_llm_cache_requests_total';

const ollama = new FakeOllama();
const groq = new FakeOpenAI();
const chat = (gateway: TestGateway, model: string, extra: Record<string, unknown> = {}) =>
  postChat(gateway.baseURL, { model, messages: [{ role: 'user', content: 'hello' }], ...extra });

before(async () => {
  await ollama.start();
  await groq.start();
});

after(async () => {
  await ollama.stop();
  await groq.stop();
});

describe('counters after scripted traffic', () => {
  let gateway: TestGateway;
  const scrape = () => scrapeMetrics(gateway.url);

  before(async () => {
    gateway = await startTestGateway({
      ...upstreamEnv({ ollama, groq }),
      ALIASES_PATH: aliasFile(ALIASES),
      // High, so that the fallback test does not open a circuit the later tests would meet.
      CIRCUIT_FAILURE_THRESHOLD: '1000',
    });
    // gemma3:4b is served once here, so the skip and cancel tests can name it whatever order they run in.
    assert.equal((await chat(gateway, 'gemma3:4b')).status, 200);
  });

  after(async () => {
    await gateway.close();
    ollama.clearFaults();
    groq.clearFaults();
  });

  test('the exposition parses, with Prometheus\'s content type, every CONTRACT metric and Node process metrics', async () => {
    const metrics = await scrape();
    assert.equal(metrics.contentType, 'text/plain; version=0.0.4; charset=utf-8');
    const expected: Array<[string, string]> = [
      [REQUESTS, 'COUNTER'],
      [ALIAS_RESOLVED, 'COUNTER'],
      [FALLBACKS, 'COUNTER'],
      [HEALTHY, 'GAUGE'],
      ['mana_llm_request_duration_seconds', 'HISTOGRAM'],
      ['mana_llm_time_to_first_token_seconds', 'HISTOGRAM'],
      [TOKENS, 'COUNTER'],
      [CACHE, 'COUNTER'],
      [IN_FLIGHT, 'GAUGE'],
      [UPSTREAM_ERRORS, 'COUNTER'],
      ['mana_llm_process_cpu_seconds_total', 'COUNTER'],
      ['mana_llm_process_resident_memory_bytes', 'GAUGE'],
      ['mana_llm_nodejs_heap_size_used_bytes', 'GAUGE'],
    ];
    assert.deepEqual(expected.map(([name]) => [name, metrics.types.get(name)]), expected);
    assert.equal(valueOf(metrics, IN_FLIGHT), 0);
  });

  test('a success counts by the requested model, with its duration and the provider\'s token counts', async () => {
    ollama.reply({ text: 'a short answer', usage: { prompt: 12, completion: 7 } });
    groq.reply({ text: 'from groq', usage: { prompt: 30, completion: 9 } });
    const before = await scrape();
    // llama3.1:8b was never served before: its first success already counts under its own name.
    assert.equal((await chat(gateway, 'llama3.1:8b')).status, 200);
    assert.equal((await chat(gateway, 'groq/gpt-4o-mini')).status, 200);
    const after = await scrape();

    const ollamaModel = { provider: 'ollama', model: 'llama3.1:8b' };
    const groqModel = { provider: 'groq', model: 'gpt-4o-mini' };
    assert.deepEqual(
      deltas(before, after, [
        [REQUESTS, ollamaModel],
        [REQUESTS, groqModel],
        [DURATION_COUNT, { ...ollamaModel, status: '200' }],
        [DURATION_COUNT, { ...groqModel, status: '200' }],
        [TOKENS, { ...ollamaModel, type: 'prompt' }],
        [TOKENS, { ...ollamaModel, type: 'completion' }],
        [TOKENS, { ...groqModel, type: 'prompt' }],
        [TOKENS, { ...groqModel, type: 'completion' }],
      ]),
      [1, 1, 1, 1, 12, 7, 30, 9],
    );
    assert.equal(totalOf(after, REQUESTS) - totalOf(before, REQUESTS), 2, 'nothing else was counted');
    assert.equal(totalOf(after, TTFT_COUNT) - totalOf(before, TTFT_COUNT), 0, 'no time to first token for a whole answer');
    assert.equal(totalOf(after, FALLBACKS) - totalOf(before, FALLBACKS), 0);
    const seconds = valueOf(after, DURATION_SUM, { ...ollamaModel, status: '200' }) - valueOf(before, DURATION_SUM, { ...ollamaModel, status: '200' });
    assert.ok(seconds > 0 && seconds < 5, `a duration in seconds (${seconds})`);
    assert.equal(valueOf(after, IN_FLIGHT), 0);
  });

  test('a fallback: the failed entry, the one that answered, the alias and the upstream error', async () => {
    groq.reply({ text: 'from groq', usage: { prompt: 5, completion: 3 } });
    ollama.fault({ path: '/api/chat', status: 500, times: 1 });
    const before = await scrape();
    const answer = await chat(gateway, 'mana/chain');
    assert.equal(answer.status, 200);
    assert.equal(answer.headers.get('x-mana-llm-resolved'), 'groq/llama-3.1-8b-instant');
    const after = await scrape();

    const answered = { provider: 'groq', model: 'llama-3.1-8b-instant' };
    assert.deepEqual(
      deltas(before, after, [
        [FALLBACKS, { from_model: 'ollama/qwen2.5vl:7b', to_model: 'groq/llama-3.1-8b-instant', reason: 'upstream_5xx' }],
        [ALIAS_RESOLVED, { alias: 'mana/chain', target: 'groq/llama-3.1-8b-instant' }],
        [UPSTREAM_ERRORS, { provider: 'ollama', error: 'upstream_5xx' }],
        [REQUESTS, { provider: 'alias', model: 'mana/chain' }],
        [DURATION_COUNT, { ...answered, status: '200' }],
        [TOKENS, { ...answered, type: 'prompt' }],
        [TOKENS, { ...answered, type: 'completion' }],
      ]),
      [1, 1, 1, 1, 1, 5, 3],
    );
    for (const name of [FALLBACKS, ALIAS_RESOLVED, UPSTREAM_ERRORS, REQUESTS, DURATION_COUNT]) {
      assert.equal(totalOf(after, name) - totalOf(before, name), 1, `${name} moved by one in all`);
    }
  });

  test('a skip: an unconfigured provider is a fallback with reason "unconfigured", not an upstream error', async () => {
    const before = await scrape();
    const answer = await chat(gateway, 'mana/skips');
    assert.equal(answer.headers.get('x-mana-llm-resolved'), 'ollama/gemma3:4b');
    const after = await scrape();
    assert.deepEqual(
      deltas(before, after, [
        [FALLBACKS, { from_model: 'together/some-model', to_model: 'ollama/gemma3:4b', reason: 'unconfigured' }],
        [ALIAS_RESOLVED, { alias: 'mana/skips', target: 'ollama/gemma3:4b' }],
        [REQUESTS, { provider: 'alias', model: 'mana/skips' }],
        [DURATION_COUNT, { provider: 'ollama', model: 'gemma3:4b', status: '200' }],
      ]),
      [1, 1, 1, 1],
    );
    assert.equal(totalOf(after, FALLBACKS) - totalOf(before, FALLBACKS), 1);
    assert.equal(totalOf(after, UPSTREAM_ERRORS) - totalOf(before, UPSTREAM_ERRORS), 0);
  });

  test('a stream observes its time to first token, no longer than its whole duration', async () => {
    groq.reply({ text: 'a streamed answer', usage: { prompt: 21, completion: 4 } });
    const before = await scrape();
    const answer = await chat(gateway, 'groq/gpt-4o-mini', { stream: true });
    assert.equal(answer.done, true);
    const after = await scrape();
    const model = { provider: 'groq', model: 'gpt-4o-mini' };
    assert.deepEqual(
      deltas(before, after, [
        [TTFT_COUNT, model],
        [DURATION_COUNT, { ...model, status: '200' }],
        [REQUESTS, model],
        [TOKENS, { ...model, type: 'prompt' }],
        [TOKENS, { ...model, type: 'completion' }],
      ]),
      [1, 1, 1, 21, 4],
    );
    const [ttft, duration] = deltas(before, after, [
      [TTFT_SUM, model],
      [DURATION_SUM, { ...model, status: '200' }],
    ]);
    assert.ok(ttft! > 0 && ttft! <= duration!, `0 < ttft ${ttft} <= duration ${duration}`);
  });

  test('a stream the client cancels: in flight while it runs, back to zero after, counted with status 499', async () => {
    ollama.reply({ text: 'x'.repeat(400), chunkSize: 2 });
    ollama.fault({ path: '/api/chat', chunkDelayMs: 50, times: 1 });
    const before = await scrape();
    let during: Exposition | undefined;
    await new Promise<void>((resolve, reject) => {
      const req = request(`${gateway.baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
        res.once('data', () => {
          scrape().then((metrics) => {
            during = metrics;
            req.destroy();
            resolve();
          }, reject);
        });
      });
      req.on('error', () => undefined);
      req.end(JSON.stringify({ model: 'gemma3:4b', stream: true, messages: [{ role: 'user', content: 'long' }] }));
    });
    assert.equal(valueOf(during!, IN_FLIGHT), 1, 'the stream is in flight while it runs');

    let after = await scrape();
    const started = Date.now();
    while (valueOf(after, IN_FLIGHT) !== 0) {
      assert.ok(Date.now() - started < 2000, 'in flight is back to zero within two seconds');
      await new Promise((r) => setTimeout(r, 20));
      after = await scrape();
    }
    const model = { provider: 'ollama', model: 'gemma3:4b' };
    assert.deepEqual(
      deltas(before, after, [
        [REQUESTS, model],
        [DURATION_COUNT, { ...model, status: '499' }],
        [TTFT_COUNT, model],
      ]),
      [1, 1, 1],
    );
    assert.equal(totalOf(after, DURATION_COUNT) - totalOf(before, DURATION_COUNT), 1);
  });

  test('cache results count by result; a word outside the four counts as "other"', async () => {
    // The core's event bus, as a cache would drive it: the metric's half of the cache contract.
    const before = await scrape();
    for (const result of ['hit', 'hit', 'miss', 'bypass', 'error', 'stale']) {
      gateway.services.events.emit('cache.result', { requestId: 'r', result: result as 'hit' });
    }
    const after = await scrape();
    assert.deepEqual(
      deltas(before, after, ['hit', 'miss', 'bypass', 'error', 'other'].map((result) => [CACHE, { result }])),
      [2, 1, 1, 1, 1],
    );
  });

  test('a cache hit served by a cache plugin moves mana_llm_cache_requests_total{result="hit"} by one', async () => {
    const cached = await startProfileGateway(
      `routing: { unprefixedProvider: ollama }
plugins:
  - { use: \${PLUGINS}/ollama, name: ollama, options: { baseUrl: "\${OLLAMA_URL}" } }
  - { use: \${PLUGINS}/memory-cache, name: memory }
  - { use: \${PLUGINS}/prometheus, name: prometheus }
`,
      upstreamEnv({ ollama }),
    );
    try {
      const CACHE = 'mana_llm_cache_requests_total';
      const body = { model: 'gemma3:4b', messages: [{ role: 'user', content: 'cache me' }] };
      const before = await scrapeMetrics(cached.url);
      await postChat(cached.baseURL, body);
      await new Promise((r) => setTimeout(r, 50));
      const hit = await postChat(cached.baseURL, body);
      assert.equal(hit.headers.get('x-mana-llm-cache'), 'hit');
      await postChat(cached.baseURL, body, { 'cache-control': 'no-store' });
      const after = await scrapeMetrics(cached.url);
      assert.deepEqual(deltas(before, after, [[CACHE, { result: 'miss' }], [CACHE, { result: 'hit' }], [CACHE, { result: 'bypass' }], [CACHE, { result: 'error' }]]), [1, 1, 1, 0]);
    } finally {
      await cached.close();
    }
  });
});

describe('the health gauge follows the circuit', () => {
  let gateway: TestGateway;
  // The circuits' clock: the backoff passes when the test moves it, not while it sleeps.
  const clock = manualClock();
  const scrape = () => scrapeMetrics(gateway.url);
  const healthy = (metrics: Exposition, provider: string) => valueOf(metrics, HEALTHY, { provider });

  before(async () => {
    ollama.reply({ text: 'ok' });
    gateway = await startTestGateway(
      {
        ...upstreamEnv({ ollama, groq }),
        ALIASES_PATH: aliasFile(ALIASES),
        CIRCUIT_FAILURE_THRESHOLD: '1',
        CIRCUIT_BACKOFF: '30',
      },
      { now: clock.now },
    );
  });

  after(async () => {
    await gateway.close();
    ollama.clearFaults();
  });

  test('every provider of the profile from the first scrape: configured ones 1, unconfigured ones 0', async () => {
    const metrics = await scrape();
    const detail = (await (await fetch(`${gateway.url}/v1/health`)).json()) as { providers: Array<{ name: string; configured: boolean }> };
    assert.deepEqual(
      detail.providers.map((p) => [p.name, healthy(metrics, p.name)]),
      detail.providers.map((p) => [p.name, p.configured ? 1 : 0]),
    );
    assert.equal(healthy(metrics, 'ollama'), 1);
    assert.equal(healthy(metrics, 'together'), 0);
    assert.equal(metrics.samples.filter((s) => s.name === HEALTHY).length, detail.providers.length, 'one series per provider, no other');
  });

  test('0 when the circuit opens, 1 again when a trial closes it', async () => {
    ollama.fault({ path: '/api/chat', status: 503, times: 1 });
    assert.equal((await chat(gateway, 'gemma3:4b')).status, 503);
    const open = await scrape();
    assert.equal(healthy(open, 'ollama'), 0);
    assert.equal(healthy(open, 'groq'), 1);
    assert.equal(valueOf(open, UPSTREAM_ERRORS, { provider: 'ollama', error: 'upstream_5xx' }), 1);

    clock.advance(30_000);
    assert.equal((await chat(gateway, 'gemma3:4b')).status, 200);
    assert.equal(healthy(await scrape(), 'ollama'), 1);
  });
});

describe('alias labels follow the alias file', () => {
  let gateway: TestGateway;
  let path: string;

  before(async () => {
    ollama.reply({ text: 'ok' });
    path = aliasFile(ALIASES);
    gateway = await startTestGateway({ ...upstreamEnv({ ollama, groq }), ALIASES_PATH: path });
  });

  after(() => gateway.close());

  test('an alias added by a reload counts under its own name from its first request', async () => {
    // Traffic before the reload, so that the aliases were read once already.
    assert.equal((await chat(gateway, 'mana/skips')).status, 200);
    writeFileSync(path, `${ALIASES}  mana/added:\n    description: added later\n    chain: [ollama/gemma3:4b]\n`);
    await gateway.reloadAliases();
    const before = await scrapeMetrics(gateway.url);
    assert.equal((await chat(gateway, 'mana/added')).status, 200);
    const after = await scrapeMetrics(gateway.url);
    assert.deepEqual(
      deltas(before, after, [
        [REQUESTS, { provider: 'alias', model: 'mana/added' }],
        [ALIAS_RESOLVED, { alias: 'mana/added', target: 'ollama/gemma3:4b' }],
        [REQUESTS, { provider: 'other', model: 'other' }],
      ]),
      [1, 1, 0],
    );
  });
});
