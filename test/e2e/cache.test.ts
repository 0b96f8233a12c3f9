import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { FakeOllama } from '../helpers/fake-ollama.ts';
import { startRedisServer, type RedisServerHandle } from '../helpers/redis-server.ts';
import { postChat } from '../helpers/sse.ts';
import { aliasFile, startProfileGateway, startTestGateway, upstreamEnv, type TestGateway } from '../helpers/test-gateway.ts';

// The response cache end to end, once on a real redis-server and once in memory: what is answered from
// it, what is not, and that Redis trouble never fails a request.

const ollama = new FakeOllama();
let redis: RedisServerHandle;
const ALIASES = aliasFile(`
aliases:
  mana/cached: { description: d, chain: [ollama/gemma3:4b] }
  mana/short: { description: d, chain: [ollama/gemma3:4b], cacheTtl: 1 }
  mana/uncached: { description: d, chain: [ollama/gemma3:4b], cacheTtl: 0 }
`);

let counter = 0;
/** A request no earlier test made, so that each test starts with a miss. */
const fresh = (extra: Record<string, unknown> = {}) => ({ model: 'mana/cached', messages: [{ role: 'user', content: `question ${++counter}` }], ...extra });
const upstreamCalls = () => ollama.requestsTo('/api/chat').length;

before(async () => {
  await ollama.start();
  ollama.reply({ text: 'a cacheable answer', usage: { prompt: 5, completion: 3 } });
  redis = await startRedisServer();
});

after(async () => {
  await ollama.stop();
  await redis.close();
});

const stores: Array<[string, () => Promise<TestGateway>]> = [
  ['redis', () => startTestGateway({ ...upstreamEnv({ ollama }), ALIASES_PATH: ALIASES, REDIS_URL: redis.url, API_KEYS: 'key-a,key-b' })],
  [
    'memory',
    () =>
      startProfileGateway(
        `routing: { unprefixedProvider: ollama }
plugins:
  - { use: \${PLUGINS}/ollama, name: ollama, options: { baseUrl: "\${OLLAMA_URL}" } }
  - { use: \${PLUGINS}/memory-cache, name: memory, options: { maxBytes: 1048576 } }
`,
        { ...upstreamEnv({ ollama }), ALIASES_PATH: ALIASES, API_KEYS: 'key-a,key-b' },
      ),
  ],
];

for (const [store, start] of stores) {
  describe(`cache in ${store}`, () => {
    let gateway: TestGateway;
    const ask = (body: Record<string, unknown>, headers: Record<string, string> = {}) => postChat(gateway.baseURL, body, { authorization: 'Bearer key-a', ...headers });
    before(async () => void (gateway = await start()));
    after(async () => gateway.close());

    test('a miss, then a hit that never reaches the upstream', async () => {
      const body = fresh();
      const calls = upstreamCalls();
      const first = await ask(body);
      assert.equal(first.headers.get('x-mana-llm-cache'), 'miss');
      await new Promise((r) => setTimeout(r, 50));
      const second = await ask(body);
      assert.equal(second.headers.get('x-mana-llm-cache'), 'hit');
      assert.equal(second.headers.get('x-mana-llm-resolved'), 'ollama/gemma3:4b');
      assert.deepEqual(second.events[0].choices, first.events[0].choices);
      assert.deepEqual(second.events[0].usage, first.events[0].usage);
      assert.equal(upstreamCalls(), calls + 1, 'the hit was answered without the upstream');
    });

    test('a streamed answer is stored when it finished, and replayed as a proper stream (and as JSON)', async () => {
      const body = fresh({ stream: true, stream_options: { include_usage: true } });
      const calls = upstreamCalls();
      const first = await ask(body);
      assert.equal(first.text, 'a cacheable answer');
      await new Promise((r) => setTimeout(r, 50));
      const replay = await ask(body);
      assert.equal(replay.headers.get('x-mana-llm-cache'), 'hit');
      assert.equal(replay.headers.get('content-type'), 'text/event-stream; charset=utf-8');
      assert.equal(replay.text, 'a cacheable answer');
      assert.equal(replay.done, true);
      assert.deepEqual(replay.events.at(-1).usage, { prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 });
      assert.ok(replay.events.every((e) => e.model === 'ollama/gemma3:4b'), 'every replayed chunk names the model');
      const whole = await ask({ ...body, stream: false });
      assert.equal(whole.headers.get('x-mana-llm-cache'), 'hit');
      assert.equal(whole.events[0].choices[0].message.content, 'a cacheable answer');
      assert.equal(upstreamCalls(), calls + 1);
    });

    test('a cut stream is never stored', async () => {
      ollama.reply({ text: 'abcdefghijkl', chunkSize: 2 });
      ollama.fault({ path: '/api/chat', cutAfterChunks: 2, times: 1 });
      const body = fresh({ stream: true });
      const cut = await ask(body);
      assert.equal(cut.done, false);
      ollama.reply({ text: 'a cacheable answer', usage: { prompt: 5, completion: 3 } });
      await new Promise((r) => setTimeout(r, 50));
      assert.equal((await ask(body)).headers.get('x-mana-llm-cache'), 'miss');
    });

    test('errors are never stored', async () => {
      ollama.fault({ path: '/api/chat', status: 400, message: 'bad option', times: 1 });
      const body = fresh();
      assert.equal((await ask(body)).status, 400);
      const retry = await ask(body);
      assert.equal(retry.status, 200);
      assert.equal(retry.headers.get('x-mana-llm-cache'), 'miss');
    });

    test('Cache-Control: no-cache skips the lookup but stores; no-store does neither', async () => {
      const body = fresh();
      assert.equal((await ask(body, { 'cache-control': 'no-store' })).headers.get('x-mana-llm-cache'), 'bypass');
      await new Promise((r) => setTimeout(r, 50));
      assert.equal((await ask(body, { 'cache-control': 'no-cache' })).headers.get('x-mana-llm-cache'), 'bypass', 'no-store stored nothing, no-cache did not look');
      await new Promise((r) => setTimeout(r, 50));
      assert.equal((await ask(body)).headers.get('x-mana-llm-cache'), 'hit', 'no-cache stored its answer');
    });

    test('an alias with cacheTtl 0 is never cached; one with a short TTL expires', async () => {
      const uncached = fresh({ model: 'mana/uncached' });
      await ask(uncached);
      assert.equal((await ask(uncached)).headers.get('x-mana-llm-cache'), 'bypass');
      const short = fresh({ model: 'mana/short' });
      await ask(short);
      await new Promise((r) => setTimeout(r, 50));
      assert.equal((await ask(short)).headers.get('x-mana-llm-cache'), 'hit');
      await new Promise((r) => setTimeout(r, 1200));
      assert.equal((await ask(short)).headers.get('x-mana-llm-cache'), 'miss', 'expired after its TTL');
    });

    test('callers with different gateway keys do not share entries', async () => {
      const body = fresh();
      await ask(body);
      await new Promise((r) => setTimeout(r, 50));
      assert.equal((await ask(body, { authorization: 'Bearer key-b' })).headers.get('x-mana-llm-cache'), 'miss');
      assert.equal((await ask(body)).headers.get('x-mana-llm-cache'), 'hit');
    });

    test('embeddings are cached and served in the encoding each caller asks for', async () => {
      const embed = (body: Record<string, unknown>) =>
        fetch(`${gateway.baseURL}/embeddings`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer key-a' }, body: JSON.stringify(body) });
      const body = { model: 'ollama/nomic-embed-text', input: [`text ${++counter}`] };
      const calls = ollama.requestsTo('/api/embed').length;
      const first = await embed(body);
      assert.equal(first.headers.get('x-mana-llm-cache'), 'miss');
      const floats = ((await first.json()) as any).data[0].embedding as number[];
      await new Promise((r) => setTimeout(r, 50));
      const second = await embed({ ...body, encoding_format: 'base64' });
      assert.equal(second.headers.get('x-mana-llm-cache'), 'hit');
      const decoded = Buffer.from(((await second.json()) as any).data[0].embedding, 'base64');
      floats.forEach((v, i) => assert.ok(Math.abs(decoded.readFloatLE(i * 4) - v) < 1e-6, `component ${i}`));
      assert.equal(ollama.requestsTo('/api/embed').length, calls + 1);
    });
  });
}

describe('Redis trouble never fails a request', () => {
  test('Redis stopped and restarted in the middle: requests keep succeeding, answered uncached meanwhile', async () => {
    const gateway = await startTestGateway({ ...upstreamEnv({ ollama }), ALIASES_PATH: ALIASES, REDIS_URL: redis.url });
    try {
      const body = fresh();
      const ask = () => postChat(gateway.baseURL, body);
      await ask();
      await new Promise((r) => setTimeout(r, 50));
      assert.equal((await ask()).headers.get('x-mana-llm-cache'), 'hit');

      await redis.stop();
      const calls = upstreamCalls();
      for (let i = 0; i < 5; i++) {
        const answer = await ask();
        assert.equal(answer.status, 200);
        assert.equal(answer.headers.get('x-mana-llm-cache'), 'miss');
      }
      assert.equal(upstreamCalls(), calls + 5, "the fake's log shows every request was answered uncached");
      const health = (await (await fetch(`${gateway.url}/v1/health`)).json()) as { caches: Array<{ healthy: boolean }> };
      assert.equal(health.caches[0]!.healthy, false);

      await redis.start();
      const started = Date.now();
      for (;;) {
        const answer = await ask();
        assert.equal(answer.status, 200);
        if (answer.headers.get('x-mana-llm-cache') === 'hit') break;
        assert.ok(Date.now() - started < 8000, 'the cache came back on its own');
        await new Promise((r) => setTimeout(r, 200));
      }
    } finally {
      await gateway.close();
    }
  });
});
