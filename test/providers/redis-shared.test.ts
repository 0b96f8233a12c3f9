import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { CircuitRecord, SharedState } from '../../core/contracts/shared-state.ts';
import plugin from '../../plugins/redis-shared/index.ts';
import { testPluginContext } from '../helpers/plugin-context.ts';
import { startRedisServer, type RedisServerHandle } from '../helpers/redis-server.ts';

// The shared-state plugin on a real redis-server, two instances standing for two replicas: updates are
// atomic under contention and heard by the other, leases hold their limit and lapse after a holder that
// stopped refreshing, a freed slot is announced, and a Redis that is down rejects at once.

let server: RedisServerHandle;
const contexts: Array<ReturnType<typeof testPluginContext>> = [];

async function open(leaseTtlMs = 1000): Promise<SharedState> {
  const ctx = testPluginContext('redis-shared');
  contexts.push(ctx);
  return plugin.create(ctx, { url: server.url, commandTimeoutMs: 150, connectTimeoutMs: 500, leaseTtlMs });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

before(async () => {
  server = await startRedisServer();
});

after(async () => {
  for (const ctx of contexts) await ctx.close();
  await server.close();
});

test('concurrent updates from two replicas lose none, and each hears the other', async () => {
  const [a, b] = [await open(), await open()];
  const heard: CircuitRecord[] = [];
  b.circuits.onChange((provider, record) => provider === 'p1' && heard.push(record));
  await sleep(100);
  const count = (record: CircuitRecord): CircuitRecord => ({ ...record, failures: record.failures + 1 });
  await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).circuits.update('p1', count)));
  const stored = (await a.circuits.read(['p1', 'unknown'])).get('p1')!;
  assert.equal(stored.failures, 40, 'every increment landed once');
  assert.equal(stored.version, 40);
  assert.equal((await a.circuits.read(['unknown'])).size, 0, 'a provider with no record is left out');
  while (heard.length < 40) await sleep(10);
  assert.deepEqual(heard.map((r) => r.version).sort((x, y) => x - y), Array.from({ length: 40 }, (_, i) => i + 1));
});

test('leases hold their limit across instances, are announced when freed, and lapse after a silent holder', async () => {
  const [a, b] = [await open(1000), await open(1000)];
  const first = await a.leases.tryAcquire('gpu', 2);
  const second = await b.leases.tryAcquire('gpu', 2);
  assert.ok(first && second);
  assert.equal(await a.leases.tryAcquire('gpu', 2), undefined, 'the third is refused');
  let freed = 0;
  const unsubscribe = b.leases.onFreed('gpu', () => freed++);
  await sleep(50);
  await first.release();
  while (freed === 0) await sleep(10);
  unsubscribe();
  // Held and refreshed: still held after several lifetimes.
  await sleep(2500);
  assert.equal(await a.leases.tryAcquire('gpu', 1), undefined, 'a refreshed lease outlives its ttl');
  // The holder's process goes away without releasing: its refresh stops, and the slot lapses.
  await contexts[contexts.length - 1]!.close();
  const lapsedAt = Date.now();
  let regained;
  while (!(regained = await a.leases.tryAcquire('gpu', 1))) await sleep(50);
  assert.ok(Date.now() - lapsedAt <= 1500, `lapsed ${Date.now() - lapsedAt} ms after the holder stopped`);
  await regained.release();
});

test('a Redis that is down: unhealthy, and every call rejects at once', async () => {
  const shared = await open();
  assert.equal(shared.healthy(), true);
  await server.stop();
  try {
    while (shared.healthy()) await sleep(10);
    const started = Date.now();
    await assert.rejects(shared.circuits.update('p2', (r) => r));
    await assert.rejects(shared.leases.tryAcquire('gpu', 1));
    assert.ok(Date.now() - started < 200, 'no call waits for a reconnect');
  } finally {
    await server.start();
  }
});
