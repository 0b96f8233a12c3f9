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
  const started = Date.now();
  for (const stream of [false, true]) {
    const answer = await postChat(gateway.baseURL, { model: 'mana/chain', stream, messages: [{ role: 'user', content: 'x' }] });
    assert.equal(answer.status, 504);
    assert.equal(answer.events[0].error.code, 'timeout');
  }
  assert.ok(Date.now() - started < 2500, `the deadline ended both requests within 2.5 s (took ${Date.now() - started} ms)`);
  assert.equal(groq.requestsTo('/v1/chat').length, 0, 'the deadline passed before the next entry');
});

/** Sends a chat request with node:http and destroys it once `when` says so. */
function abandon(body: unknown, when: 'after-headers' | 'at-once'): Promise<void> {
  return new Promise((resolve) => {
    const req = request(`${gateway.baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      res.once('data', () => {
        req.destroy();
        resolve();
      });
    });
    req.on('error', () => resolve());
    req.end(JSON.stringify(body));
    if (when === 'at-once') setTimeout(() => {
      req.destroy();
      resolve();
    }, 150);
  });
}

async function abortedWithinASecond(fake: { requestsTo(p: string): Array<{ abortedAt?: number }> }, path: string): Promise<void> {
  const started = Date.now();
  while (fake.requestsTo(path).at(-1)?.abortedAt === undefined) {
    assert.ok(Date.now() - started < 1000, 'the upstream saw the abort within a second');
    await new Promise((r) => setTimeout(r, 10));
  }
}

test('a caller who disconnects mid-stream aborts the Ollama request', async () => {
  ollama.reply({ text: 'x'.repeat(400), chunkSize: 2 });
  ollama.fault({ path: '/api/chat', chunkDelayMs: 50, times: 1 });
  await abandon({ model: 'gemma3:4b', stream: true, messages: [{ role: 'user', content: 'long' }] }, 'after-headers');
  await abortedWithinASecond(ollama, '/api/chat');
});

test('a caller who disconnects before the answer aborts the upstream request', async () => {
  ollama.fault({ path: '/api/chat', hang: true, times: 1 });
  await abandon({ model: 'gemma3:4b', messages: [{ role: 'user', content: 'x' }] }, 'at-once');
  await abortedWithinASecond(ollama, '/api/chat');
});

test('a caller who disconnects mid-stream aborts an OpenAI-compatible stream too', async () => {
  groq.reply({ text: 'y'.repeat(400), chunkSize: 2 });
  groq.fault({ path: '/v1/chat', chunkDelayMs: 50, times: 1 });
  await abandon({ model: 'groq/llama-3.1-8b-instant', stream: true, messages: [{ role: 'user', content: 'long' }] }, 'after-headers');
  await abortedWithinASecond(groq, '/v1/chat');
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
