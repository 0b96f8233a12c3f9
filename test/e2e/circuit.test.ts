import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FallbackEvent, ProviderHealthEvent } from '../../core/contracts/events.ts';
import { FakeOllama } from '../helpers/fake-ollama.ts';
import { FakeOpenAI } from '../helpers/fake-openai.ts';
import { postChat } from '../helpers/sse.ts';
import { manualClock } from '../helpers/manual-clock.ts';
import { aliasFile, startTestGateway, upstreamEnv, type TestGateway } from '../helpers/test-gateway.ts';

// The GPU box goes away: the alias is answered by the cloud, the circuit opens after the threshold so
// Ollama is no longer tried, and once the backoff has passed a single trial finds it back. The circuits
// run on a clock the tests move, so the backoff passes exactly when a test says so.

const ollama = new FakeOllama();
const groq = new FakeOpenAI();
let gateway: TestGateway;
const clock = manualClock();
const BACKOFF_MS = 30_000;
const fallbacks: FallbackEvent[] = [];
const transitions: ProviderHealthEvent[] = [];
const ask = () => postChat(gateway.baseURL, { model: 'mana/fast-text', messages: [{ role: 'user', content: 'hi' }] });
const health = async () => (await fetch(`${gateway.url}/v1/health`)).json() as Promise<any>;

before(async () => {
  await ollama.start();
  await groq.start();
  ollama.reply({ text: 'from ollama' });
  groq.reply({ text: 'from groq' });
  gateway = await startTestGateway(
    {
      ...upstreamEnv({ ollama, groq }),
      ALIASES_PATH: aliasFile('aliases:\n  mana/fast-text:\n    description: d\n    chain: [ollama/gemma3:4b, groq/llama-3.1-8b-instant]\n'),
      CIRCUIT_FAILURE_THRESHOLD: '2',
      CIRCUIT_BACKOFF: String(BACKOFF_MS / 1000),
    },
    { now: clock.now },
  );
  gateway.services.events.on('fallback', (e) => fallbacks.push(e));
  gateway.services.events.on('provider.health', (e) => transitions.push(e));
});

after(async () => {
  await gateway.close();
  await ollama.stop();
  await groq.stop();
});

test('a stopped Ollama: fallback, then the circuit keeps it out until the backoff ends', async () => {
  // Warm: Ollama answers.
  assert.equal((await ask()).headers.get('x-mana-llm-resolved'), 'ollama/gemma3:4b');

  // The GPU box is switched off. A 503 stands in for "down" so that the fake's log can count the tries.
  ollama.fault({ path: '/api/chat', status: 503, message: 'GPU offline' });
  const triesBefore = ollama.requestsTo('/api/chat').length;
  for (let i = 0; i < 2; i++) {
    const answer = await ask();
    assert.equal(answer.status, 200);
    assert.equal(answer.headers.get('x-mana-llm-resolved'), 'groq/llama-3.1-8b-instant');
  }
  assert.equal(ollama.requestsTo('/api/chat').length, triesBefore + 2, 'tried until the threshold');
  assert.deepEqual(transitions.at(-1), { provider: 'ollama', healthy: false, state: 'open', consecutiveFailures: 2, lastError: 'upstream_5xx' });

  // Open: further requests go straight to groq; Ollama's log shows no new tries.
  for (let i = 0; i < 5; i++) assert.equal((await ask()).headers.get('x-mana-llm-resolved'), 'groq/llama-3.1-8b-instant');
  assert.equal(ollama.requestsTo('/api/chat').length, triesBefore + 2, 'not tried while the circuit is open');
  assert.equal(fallbacks.at(-1)?.reason, 'circuit_open');

  const detail = await health();
  const ollamaHealth = detail.providers.find((p: { name: string }) => p.name === 'ollama');
  assert.equal(detail.status, 'degraded');
  assert.equal(ollamaHealth.healthy, false);
  assert.equal(ollamaHealth.consecutiveFailures, 2);
  assert.equal(ollamaHealth.lastError, 'upstream_5xx');
  assert.equal(ollamaHealth.unhealthyUntil, new Date(clock.now() + BACKOFF_MS).toISOString(), 'open for the backoff from the failure that opened it');
  const simple = (await (await fetch(`${gateway.url}/health`)).json()) as any;
  assert.equal(simple.status, 'degraded');
  assert.equal(simple.providers.ollama, 'unhealthy');
  assert.equal(simple.providers.groq, 'healthy');

  // A moment before the backoff ends it is still kept out.
  ollama.clearFaults();
  clock.advance(BACKOFF_MS - 1);
  assert.equal((await ask()).headers.get('x-mana-llm-resolved'), 'groq/llama-3.1-8b-instant');
  assert.equal(ollama.requestsTo('/api/chat').length, triesBefore + 2, 'not tried before the backoff ended');

  // The box is back; once the backoff has passed one trial goes to Ollama and closes the circuit.
  clock.advance(1);
  assert.equal((await ask()).headers.get('x-mana-llm-resolved'), 'ollama/gemma3:4b');
  assert.equal(ollama.requestsTo('/api/chat').length, triesBefore + 3);
  assert.deepEqual(transitions.at(-1), { provider: 'ollama', healthy: true, state: 'closed', consecutiveFailures: 0, lastError: null });
  assert.equal((await health()).status, 'ok');
});

test('half-open lets exactly one of many concurrent requests try the recovering provider', async () => {
  ollama.fault({ path: '/api/chat', status: 503 });
  await ask();
  await ask();
  ollama.clearFaults();
  // The trial is slow, so the other requests arrive while it is in flight.
  ollama.fault({ path: '/api/chat', delayMs: 300, times: 1 });
  clock.advance(BACKOFF_MS);
  const triesBefore = ollama.requestsTo('/api/chat').length;
  const answers = await Promise.all(Array.from({ length: 8 }, () => ask()));
  assert.equal(ollama.requestsTo('/api/chat').length, triesBefore + 1, 'one trial, not a stampede');
  const byOllama = answers.filter((a) => a.headers.get('x-mana-llm-resolved') === 'ollama/gemma3:4b');
  assert.equal(byOllama.length, 1);
  assert.ok(answers.every((a) => a.status === 200), `every answer is a 200 (got ${answers.map((a) => a.status).join(', ')})`);
});

test('a request in flight keeps the chain it started with while the aliases are reloaded', async () => {
  const { writeFileSync } = await import('node:fs');
  const path = aliasFile('aliases:\n  mana/swap:\n    description: d\n    chain: [ollama/gemma3:4b, groq/old-model]\n');
  const swapping = await startTestGateway({ ...upstreamEnv({ ollama, groq }), ALIASES_PATH: path, CIRCUIT_FAILURE_THRESHOLD: '1000' });
  try {
    // The first entry is slow and then fails, so the request falls back after the reload has happened.
    ollama.fault({ path: '/api/chat', delayMs: 300, status: 500, times: 1 });
    const inFlight = postChat(swapping.baseURL, { model: 'mana/swap', messages: [{ role: 'user', content: 'x' }] });
    await new Promise((r) => setTimeout(r, 100));
    writeFileSync(path, 'aliases:\n  mana/swap:\n    description: d\n    chain: [groq/new-model]\n');
    assert.deepEqual((await swapping.reloadAliases()) as unknown, { added: [], removed: [], changed: ['mana/swap'], defaultChanged: false });
    const answer = await inFlight;
    assert.equal(answer.headers.get('x-mana-llm-resolved'), 'groq/old-model', 'the old chain, not the new one');
    const next = await postChat(swapping.baseURL, { model: 'mana/swap', messages: [{ role: 'user', content: 'x' }] });
    assert.equal(next.headers.get('x-mana-llm-resolved'), 'groq/new-model');
  } finally {
    ollama.clearFaults();
    await swapping.close();
  }
});
