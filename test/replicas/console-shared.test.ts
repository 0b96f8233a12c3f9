import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { FakeOllama } from '../helpers/fake-ollama.ts';
import { startRedisServer, type RedisServerHandle } from '../helpers/redis-server.ts';
import { startTestGateway, upstreamEnv, type TestGateway } from '../helpers/test-gateway.ts';

// Two replicas on one Redis show one console: whichever replica the load balancer sends the page to,
// it lists every replica's requests and counts them in the same minutes. With Redis away each shows its
// own, says so, and answers at once; what was served meanwhile reaches the shared view when Redis is back.

const ollama = new FakeOllama();
let redis: RedisServerHandle;
let a: TestGateway;
let b: TestGateway;

interface ConsoleState {
  activity: 'shared' | 'local';
  recent: Array<{ requestId: string }>;
  series: { requests: number[] };
}

const state = async (gateway: TestGateway): Promise<ConsoleState> => {
  const response = await fetch(`${gateway.baseURL.replace(/\/v1$/, '')}/console/state`);
  assert.equal(response.status, 200);
  return (await response.json()) as ConsoleState;
};

async function chat(gateway: TestGateway, requestId: string): Promise<void> {
  const response = await fetch(`${gateway.baseURL}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-request-id': requestId },
    body: JSON.stringify({ model: 'gemma3:4b', messages: [{ role: 'user', content: 'hi' }] }),
  });
  assert.equal(response.status, 200);
  await response.text();
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 5000): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (await check()) return Date.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${what} did not happen within ${timeoutMs} ms`);
}

const ids = (s: ConsoleState) => s.recent.map((r) => r.requestId);

before(async () => {
  redis = await startRedisServer();
  await ollama.start();
  const env = { ...upstreamEnv({ ollama }), REDIS_URL: redis.url };
  [a, b] = [await startTestGateway(env), await startTestGateway(env)];
});

after(async () => {
  await Promise.all([a?.close(), b?.close()]);
  await ollama.stop();
  await redis.close();
});

test("each replica's console lists every replica's requests and counts them in the same minutes", async () => {
  await chat(a, 'on-a-1');
  await chat(b, 'on-b-1');
  await chat(b, 'on-b-2');
  const seenAfter = await until('both replicas showing all three', async () => {
    const [fromA, fromB] = [await state(a), await state(b)];
    return [fromA, fromB].every((s) => ['on-a-1', 'on-b-1', 'on-b-2'].every((id) => ids(s).includes(id)));
  });
  assert.ok(seenAfter < 3000, `seen after ${seenAfter} ms`);
  const [fromA, fromB] = [await state(a), await state(b)];
  assert.equal(fromA.activity, 'shared');
  assert.deepEqual(ids(fromA), ids(fromB), 'the same list, newest first, from either replica');
  assert.equal(ids(fromA)[0], 'on-b-2');
  const total = (s: ConsoleState) => s.series.requests.reduce((x, y) => x + y, 0);
  assert.equal(total(fromA), 3);
  assert.equal(total(fromB), 3);
});

test('with Redis away each replica shows its own and says so; what it served meanwhile is shared once Redis is back', async () => {
  await redis.stop();
  try {
    await until('replica a to notice', async () => (await state(a)).activity === 'local');
    await chat(b, 'on-b-during-outage');
    const started = Date.now();
    const fromB = await state(b);
    assert.ok(Date.now() - started < 500, 'the data route does not wait for Redis');
    assert.equal(fromB.activity, 'local');
    assert.ok(ids(fromB).includes('on-b-during-outage'));
    assert.ok(!ids(fromB).includes('on-a-1'), "only this replica's own requests");
  } finally {
    await redis.start();
  }
  await until("replica a showing b's request of the outage", async () => ids(await state(a)).includes('on-b-during-outage'), 10_000);
  assert.equal((await state(a)).activity, 'shared');
});
