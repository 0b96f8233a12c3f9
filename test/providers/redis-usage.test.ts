import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Redis } from 'ioredis';
import { MemoryUsageLedger } from '../../core/callers/memory-usage-ledger.ts';
import type { UsageCounts, UsageLedger } from '../../core/index.ts';
import plugin from '../../plugins/redis-usage/index.ts';
import { RETENTION_SECONDS } from '../../plugins/redis-usage/redis-usage-ledger.ts';
import { testPluginContext } from '../helpers/plugin-context.ts';
import { startRedisServer, type RedisServerHandle } from '../helpers/redis-server.ts';

// The usage ledger on a real redis-server: the same rows as the process's own ledger for the same
// additions, shared by two ledgers (two replicas) on one Redis, kept 90 days, and a Redis that is down
// rejects at once instead of hanging a request.

let server: RedisServerHandle;
const contexts: Array<ReturnType<typeof testPluginContext>> = [];

async function open(url: string): Promise<UsageLedger> {
  const ctx = testPluginContext('redis-usage');
  contexts.push(ctx);
  return plugin.create(ctx, { url, commandTimeoutMs: 150, connectTimeoutMs: 500 });
}

const counts = (over: Partial<UsageCounts> = {}): UsageCounts => ({
  requests: 1, promptTokens: 12, completionTokens: 7, cachedTokens: 3, costNanoUsd: 1_234, cacheHits: 0, savedNanoUsd: 0, ...over,
});

before(async () => {
  server = await startRedisServer();
});

after(async () => {
  for (const ctx of contexts) await ctx.close();
  await server.close();
});

test('two replicas add to the same rows, exactly, and agree with the memory ledger', async () => {
  const [a, b] = [await open(server.url), await open(server.url)];
  const memory = new MemoryUsageLedger();
  const additions: Array<[string, string, string, UsageCounts]> = [];
  for (let i = 0; i < 50; i++) {
    additions.push(['2026-12-02', i % 3 === 0 ? 'chat' : 'batch', i % 2 === 0 ? 'groq/a' : 'google/b', counts({ costNanoUsd: 1_000 + i, cacheHits: i % 5 === 0 ? 1 : 0, savedNanoUsd: i % 5 === 0 ? 77 : 0 })]);
  }
  additions.push(['2026-12-01', 'chat', 'groq/a', counts()]);
  await Promise.all(additions.map(([day, caller, model, c], i) => (i % 2 === 0 ? a : b).add(day, caller, model, c)));
  for (const [day, caller, model, c] of additions) await memory.add(day, caller, model, c);

  const sorted = (rows: Awaited<ReturnType<UsageLedger['rows']>>) => [...rows].sort((x, y) => `${x.day}${x.caller}${x.model}`.localeCompare(`${y.day}${y.caller}${y.model}`));
  assert.deepEqual(sorted(await a.rows(['2026-12-01', '2026-12-02'])), sorted(await memory.rows(['2026-12-01', '2026-12-02'])));
  assert.deepEqual(sorted(await b.rows(['2026-12-02'], 'chat')), sorted(await memory.rows(['2026-12-02'], 'chat')));
  assert.equal(await b.spentNanoUsd('2026-12-02', 'chat'), await memory.spentNanoUsd('2026-12-02', 'chat'));
  assert.equal(await a.spentNanoUsd('2026-12-03', 'chat'), 0);
  assert.deepEqual(await a.rows(['2026-11-30']), []);
});

test('every key of a day expires after the retention', async () => {
  const ledger = await open(server.url);
  await ledger.add('2026-12-05', 'chat', 'groq/a', counts());
  const raw = new Redis(server.url);
  try {
    const keys = await raw.keys('mana-llm:usage:2026-12-05:*');
    assert.equal(keys.length, 3, keys.join(', '));
    for (const key of keys) {
      const ttl = await raw.ttl(key);
      assert.ok(ttl > RETENTION_SECONDS - 60 && ttl <= RETENTION_SECONDS, `${key} ttl ${ttl}`);
    }
  } finally {
    raw.disconnect();
  }
});

test('an add with an id counts once, however often it is sent, from any replica; without one every add counts', async () => {
  const [a, b] = [await open(server.url), await open(server.url)];
  await a.add('2026-12-06', 'chat', 'groq/a', counts(), 'record-1');
  await b.add('2026-12-06', 'chat', 'groq/a', counts(), 'record-1');
  await a.add('2026-12-06', 'chat', 'groq/a', counts(), 'record-2');
  await a.add('2026-12-06', 'chat', 'groq/a', counts());
  await a.add('2026-12-06', 'chat', 'groq/a', counts());
  const [row] = await b.rows(['2026-12-06']);
  assert.equal(row!.requests, 4);
  assert.equal(await b.spentNanoUsd('2026-12-06', 'chat'), 4 * 1_234);
  const raw = new Redis(server.url);
  try {
    const ttl = await raw.ttl('mana-llm:usage:once:record-1');
    assert.ok(ttl > 3500 && ttl <= 3600, `an id is remembered for an hour (ttl ${ttl})`);
  } finally {
    raw.disconnect();
  }
});

test('with Redis down every call rejects at once, and the ledger says it is unhealthy', async () => {
  const ledger = await open(server.url);
  await server.stop();
  try {
    const started = performance.now();
    await assert.rejects(ledger.add('2026-12-02', 'chat', 'groq/a', counts()));
    await assert.rejects(ledger.spentNanoUsd('2026-12-02', 'chat'));
    await assert.rejects(ledger.rows(['2026-12-02']));
    assert.ok(performance.now() - started < 1000);
    // The connection's close event may come a moment after the first failed command.
    for (let waited = 0; ledger.healthy() && waited < 2000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(ledger.healthy(), false);
  } finally {
    await server.start();
  }
});
