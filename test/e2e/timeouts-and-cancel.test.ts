import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, test } from 'node:test';
import { FakeOllama } from '../helpers/fake-ollama.ts';
import { FakeOpenAI } from '../helpers/fake-openai.ts';
import { postChat } from '../helpers/sse.ts';
import { aliasFile, startTestGateway, upstreamEnv, type TestGateway } from '../helpers/test-gateway.ts';

// The overall deadline, and a caller who goes away: the upstream request must stop with it, because a
// GPU must not go on generating for nobody.

const ollama = new FakeOllama();
const groq = new FakeOpenAI();
let gateway: TestGateway;

before(async () => {
  await ollama.start();
  await groq.start();
  gateway = await startTestGateway({
    ...upstreamEnv({ ollama, groq }),
    ALIASES_PATH: aliasFile('aliases:\n  mana/chain:\n    description: d\n    chain: [ollama/gemma3:4b, groq/llama-3.1-8b-instant]\n'),
    REQUEST_TIMEOUT: '0.8',
    FIRST_TOKEN_TIMEOUT: '5',
    CIRCUIT_FAILURE_THRESHOLD: '1000',
  });
});

after(async () => {
  await gateway.close();
  await ollama.stop();
  await groq.stop();
});

test('the overall deadline bounds the whole chain: 504 timeout', async () => {
  ollama.fault({ path: '/api/chat', hang: true, times: 2 });
  const ollamaSeen = ollama.requestsTo('/api/chat').length;
  const groqSeen = groq.requestsTo('/v1/chat').length;
  const started = Date.now();
  for (const stream of [false, true]) {
    const answer = await postChat(gateway.baseURL, { model: 'mana/chain', stream, messages: [{ role: 'user', content: 'x' }] });
    assert.equal(answer.status, 504);
    assert.equal(answer.events[0].error.code, 'timeout');
  }
  assert.ok(Date.now() - started < 2500, `the deadline ended both requests within 2.5 s (took ${Date.now() - started} ms)`);
  assert.equal(ollama.requestsTo('/api/chat').length, ollamaSeen + 2, 'both requests hung on the first entry');
  assert.equal(groq.requestsTo('/v1/chat').length, groqSeen, 'the deadline passed before the next entry');
});

/**
 * Sends a chat request with node:http and goes away: at the first byte of the answer, or, when
 * `upstreamSaw` is given, as soon as that resolves (before any answer). Rejects with what `upstreamSaw`
 * rejected with.
 */
function abandon(body: unknown, upstreamSaw?: Promise<unknown>): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request(`${gateway.baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      res.once('data', () => {
        if (upstreamSaw) return;
        req.destroy();
        resolve();
      });
    });
    req.on('error', () => resolve());
    req.end(JSON.stringify(body));
    upstreamSaw?.then(
      () => {
        req.destroy();
        resolve();
      },
      (err: unknown) => {
        req.destroy();
        reject(err);
      },
    );
  });
}

/** The one upstream request the test caused (not an earlier test's) saw its connection close within a second. */
async function abortedWithinASecond(fake: FakeOllama | FakeOpenAI, path: string, seen: number): Promise<void> {
  const record = await fake.onlyRequestSince(path, seen);
  const started = Date.now();
  while (record.abortedAt === undefined) {
    assert.ok(Date.now() - started < 1000, 'the upstream saw the abort within a second');
    await new Promise((r) => setTimeout(r, 10));
  }
}

test('a caller who disconnects mid-stream aborts the Ollama request', async () => {
  ollama.reply({ text: 'x'.repeat(400), chunkSize: 2 });
  ollama.fault({ path: '/api/chat', chunkDelayMs: 50, times: 1 });
  const seen = ollama.requestsTo('/api/chat').length;
  await abandon({ model: 'gemma3:4b', stream: true, messages: [{ role: 'user', content: 'long' }] });
  await abortedWithinASecond(ollama, '/api/chat', seen);
});

test('a caller who disconnects before the answer aborts the upstream request', async () => {
  ollama.fault({ path: '/api/chat', hang: true, times: 1 });
  const seen = ollama.requestsTo('/api/chat').length;
  // Gone once Ollama has the request: earlier, there would be nothing upstream to abort.
  await abandon({ model: 'gemma3:4b', messages: [{ role: 'user', content: 'x' }] }, ollama.onlyRequestSince('/api/chat', seen, 5000));
  await abortedWithinASecond(ollama, '/api/chat', seen);
});

test('a caller who disconnects mid-stream aborts an OpenAI-compatible stream too', async () => {
  groq.reply({ text: 'y'.repeat(400), chunkSize: 2 });
  groq.fault({ path: '/v1/chat', chunkDelayMs: 50, times: 1 });
  const seen = groq.requestsTo('/v1/chat').length;
  await abandon({ model: 'groq/llama-3.1-8b-instant', stream: true, messages: [{ role: 'user', content: 'long' }] });
  await abortedWithinASecond(groq, '/v1/chat', seen);
});

test('stream responses carry the headers that stop proxies from buffering', async () => {
  ollama.reply({ text: 'ok' });
  const answer = await postChat(gateway.baseURL, { model: 'gemma3:4b', stream: true, messages: [{ role: 'user', content: 'x' }] });
  assert.equal(answer.headers.get('content-type'), 'text/event-stream; charset=utf-8');
  assert.equal(answer.headers.get('x-accel-buffering'), 'no');
  assert.match(answer.headers.get('cache-control') ?? '', /no-cache/);
  assert.equal(answer.headers.get('x-mana-llm-resolved'), 'ollama/gemma3:4b');
  assert.equal(answer.done, true);
});
