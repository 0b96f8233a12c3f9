import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { FakeOllama } from '../helpers/fake-ollama.ts';
import { FakeOpenAI } from '../helpers/fake-openai.ts';
import { startRedisServer, type RedisServerHandle } from '../helpers/redis-server.ts';
import { healthOf, startReplicas, within, type ReplicaSet } from '../helpers/replica-set.ts';
import { aliasFile, upstreamEnv, type GatewayProcess } from '../helpers/test-gateway.ts';

// Three gateway processes share one redis-server: a circuit opened on one is honoured by the others,
// failures are counted across them, one replica in all makes the half-open trial, and Redis going away
// fails no request.

const ollama = new FakeOllama();
const groq = new FakeOpenAI();
let redis: RedisServerHandle;
let set: ReplicaSet;
let asked = 0;

const BACKOFF_S = 2;

/** A fresh prompt each time, so the response cache (also on this Redis) never answers in place of the chain. */
async function ask(replica: GatewayProcess, model = 'mana/fast-text'): Promise<{ status: number; resolved: string | null }> {
  const response = await fetch(`${replica.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model, messages: [{ role: 'user', content: `question ${++asked}` }] }),
  });
  await response.arrayBuffer();
  return { status: response.status, resolved: response.headers.get('x-mana-llm-resolved') };
}

const ollamaOf = async (replica: GatewayProcess) => (await healthOf(replica)).providers.find((p: { name: string }) => p.name === 'ollama');

before(async () => {
  redis = await startRedisServer();
  await ollama.start();
  await groq.start();
  ollama.reply({ text: 'from ollama' });
  groq.reply({ text: 'from groq' });
  set = await startReplicas(3, {
    ...upstreamEnv({ ollama, groq }),
    REDIS_URL: redis.url,
    ALIASES_PATH: aliasFile('aliases:\n  mana/fast-text:\n    description: d\n    chain: [ollama/gemma3:4b, groq/llama-3.1-8b-instant]\n'),
    CIRCUIT_FAILURE_THRESHOLD: '2',
    CIRCUIT_BACKOFF: String(BACKOFF_S),
  });
});

after(async () => {
  await set?.stop();
  await ollama.stop();
  await groq.stop();
  await redis?.close();
});

test('every replica reports shared state and its own id', async () => {
  const healths = await Promise.all(set.replicas.map((r) => healthOf(r)));
  assert.deepEqual(healths.map((h) => h.state), ['shared', 'shared', 'shared']);
  assert.deepEqual(healths.map((h) => h.replica), ['replica-1', 'replica-2', 'replica-3']);
  await ask(set.at(0));
  const line = await set.at(0).waitForLine(/"component":"request"/, 5000);
  assert.match(line ?? '', /"replica":"replica-1"/, `the request log line names the replica: ${line}`);
});

test('failures count across replicas, and a circuit opened by one is honoured by the others within 1 s', async (t) => {
  ollama.fault({ path: '/api/chat', status: 503, message: 'GPU offline' });
  const tries = ollama.requestsTo('/api/chat').length;
  // One failure on replica 1 and one on replica 2: the threshold of 2 is reached across them.
  assert.equal((await ask(set.at(0))).resolved, 'groq/llama-3.1-8b-instant');
  assert.equal((await ask(set.at(1))).resolved, 'groq/llama-3.1-8b-instant');
  const took = await within(1000, async () => (await Promise.all(set.replicas.map(ollamaOf))).every((p) => p.healthy === false), 'every replica sees the circuit open');
  assert.ok(took <= 1000, `seen everywhere after ${took} ms`);
  t.diagnostic(`the open circuit was seen by every replica ${took} ms after the failing answer`);
  // Replica 3 never met the failure itself, yet skips Ollama.
  assert.equal((await ask(set.at(2))).resolved, 'groq/llama-3.1-8b-instant');
  assert.equal(ollama.requestsTo('/api/chat').length, tries + 2, 'no replica tried Ollama once its circuit was open');
});

test('once the backoff has passed, one replica in all makes the half-open trial', async () => {
  ollama.clearFaults();
  // A slow answer keeps the trial under way while the others ask.
  ollama.fault({ path: '/api/chat', delayMs: 800 });
  await new Promise((resolve) => setTimeout(resolve, BACKOFF_S * 1000 + 200));
  const tries = ollama.requestsTo('/api/chat').length;
  const answers = await Promise.all(Array.from({ length: 9 }, (_, i) => ask(set.at(i))));
  assert.ok(answers.every((a) => a.status === 200));
  assert.equal(ollama.requestsTo('/api/chat').length - tries, 1, 'exactly one trial reached Ollama');
  assert.equal(answers.filter((a) => a.resolved === 'ollama/gemma3:4b').length, 1);
  // The trial's success closes the circuit on every replica.
  await within(1000, async () => (await Promise.all(set.replicas.map(ollamaOf))).every((p) => p.healthy === true), 'every replica sees it closed');
  ollama.clearFaults();
});

test('Redis stopped mid-traffic fails no request; its return restores shared state', async () => {
  const statuses: number[] = [];
  let sent = 0;
  let redisDown = false;
  let localSeen = false;
  const worker = async () => {
    while (sent < 150) {
      const index = sent++;
      if (index === 30) {
        redisDown = true;
        await redis.stop();
      }
      if (index === 100) {
        await redis.start();
        redisDown = false;
      }
      if (redisDown && !localSeen) localSeen = (await healthOf(set.at(index))).state === 'local';
      statuses.push((await ask(set.at(index), index % 2 ? 'mana/fast-text' : 'groq/llama-3.1-8b-instant')).status);
    }
  };
  await Promise.all(Array.from({ length: 6 }, worker));
  assert.equal(statuses.length, 150);
  assert.deepEqual(statuses.filter((s) => s !== 200), [], 'every request answered');
  assert.ok(localSeen, 'a replica said "local" while Redis was away');

  await within(8000, async () => (await Promise.all(set.replicas.map((r) => healthOf(r)))).every((h) => h.state === 'shared'), 'every replica rejoins');
  ollama.fault({ path: '/api/chat', status: 503, message: 'GPU offline' });
  await ask(set.at(0));
  await ask(set.at(0));
  await within(1000, async () => (await Promise.all(set.replicas.map(ollamaOf))).every((p) => p.healthy === false), 'a circuit is shared again');
  ollama.clearFaults();
  const outageLines = set.at(1).output.filter((l) => l.includes('redis shared state is unreachable'));
  assert.equal(outageLines.length, 1, 'the outage is logged once per replica');
});
