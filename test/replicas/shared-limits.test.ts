import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { FakeOllama } from '../helpers/fake-ollama.ts';
import { startRedisServer, type RedisServerHandle } from '../helpers/redis-server.ts';
import { startReplicas, type ReplicaSet } from '../helpers/replica-set.ts';
import { callersFile, upstreamEnv, type GatewayProcess } from '../helpers/test-gateway.ts';

// Three gateway processes share one redis-server: the GPU box's cap is a total across them, held as
// leases that a killed replica gives back within the bound, and a caller's limits hold across them.

const ollama = new FakeOllama();
let redis: RedisServerHandle;
let set: ReplicaSet;
let asked = 0;

const CAP = 2;
const OLLAMA_TIMEOUT_S = 3;
const KEYS = { app: 'sk-app-0123456789abcdef', batch: 'sk-batch-0123456789abcdef', chat: 'sk-chat-0123456789abcdef' };

async function ask(replica: GatewayProcess, key: string): Promise<{ status: number; ms: number }> {
  const started = Date.now();
  const response = await fetch(`${replica.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ model: 'ollama/gemma3:4b', messages: [{ role: 'user', content: `question ${++asked}` }] }),
  });
  await response.arrayBuffer();
  return { status: response.status, ms: Date.now() - started };
}

before(async () => {
  redis = await startRedisServer();
  await ollama.start();
  set = await startReplicas(3, {
    ...upstreamEnv({ ollama }),
    REDIS_URL: redis.url,
    OLLAMA_MAX_CONCURRENT: String(CAP),
    OLLAMA_MAX_QUEUE: '64',
    OLLAMA_TIMEOUT: String(OLLAMA_TIMEOUT_S),
    APP_KEY: KEYS.app,
    BATCH_KEY: KEYS.batch,
    CHAT_KEY: KEYS.chat,
    CALLERS_PATH: callersFile(
      [
        'callers:',
        '  app:',
        '    keys: ["${APP_KEY}"]',
        '  batch:',
        '    keys: ["${BATCH_KEY}"]',
        '    limits: { requestsPerMinute: 4 }',
        '  chat:',
        '    keys: ["${CHAT_KEY}"]',
        '    limits: { concurrent: 2 }',
        '',
      ].join('\n'),
    ),
  });
});

after(async () => {
  await set?.stop();
  await ollama.stop();
  await redis?.close();
});

test("the GPU box never sees more requests in flight than its cap, across replicas", async () => {
  ollama.server.clearRequests();
  ollama.fault({ path: '/api/chat', delayMs: 250 });
  const answers = await Promise.all(Array.from({ length: 18 }, (_, i) => ask(set.at(i), KEYS.app)));
  ollama.clearFaults();
  assert.deepEqual(answers.map((a) => a.status), Array(18).fill(200), 'every request waits its turn and is answered');
  assert.equal(ollama.peakInFlight('/api/chat'), CAP, `at most ${CAP} at once (each replica alone would allow ${CAP})`);
});

test("a caller's requests per minute hold across replicas", async () => {
  const statuses: number[] = [];
  for (let i = 0; i < 9; i++) statuses.push((await ask(set.at(i), KEYS.batch)).status);
  assert.deepEqual(statuses.filter((s) => s === 200).length, 4, `4 of 9 answered: ${statuses.join(', ')}`);
  assert.deepEqual(statuses.slice(4), Array(5).fill(429));
});

test("a caller's requests in flight hold across replicas", async () => {
  ollama.fault({ path: '/api/chat', delayMs: 400 });
  const statuses = (await Promise.all(Array.from({ length: 6 }, (_, i) => ask(set.at(i), KEYS.chat)))).map((a) => a.status);
  ollama.clearFaults();
  assert.equal(statuses.filter((s) => s === 200).length, 2, `2 of 6 answered: ${statuses.join(', ')}`);
  assert.equal(statuses.filter((s) => s === 429).length, 4);
});

test('a replica killed while holding slots gives them back within its attempt timeout + 5 s', async () => {
  ollama.server.clearRequests();
  // Replica 1 takes both slots with requests that hang at the GPU box.
  ollama.fault({ path: '/api/chat', hang: true, times: CAP });
  const held = Array.from({ length: CAP }, () => ask(set.at(0), KEYS.app).catch(() => undefined));
  while (ollama.requestsTo('/api/chat').length < CAP) await new Promise((resolve) => setTimeout(resolve, 20));
  set.at(0).child.kill('SIGKILL');
  await Promise.all(held);
  const answer = await ask(set.at(1), KEYS.app);
  assert.equal(answer.status, 200);
  assert.ok(answer.ms > 1000, `replica 2 waited for the dead replica's slots (${answer.ms} ms)`);
  assert.ok(answer.ms < OLLAMA_TIMEOUT_S * 1000 + 5000, `the slots came back within the bound (${answer.ms} ms)`);
  await set.restart(0);
});
