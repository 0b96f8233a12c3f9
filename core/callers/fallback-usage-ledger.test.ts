import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { UsageCounts } from '../contracts/usage-ledger.ts';
import { createLogger } from '../log/logger.ts';
import { FallbackUsageLedger } from './fallback-usage-ledger.ts';
import { MemoryUsageLedger } from './memory-usage-ledger.ts';

// A shared ledger that goes away and comes back: nothing booked meanwhile is lost, budgets go on being
// checked against the last known spend plus what was booked, and the held rows reach the store.

class Store extends MemoryUsageLedger {
  up = true;
  override healthy(): boolean {
    return this.up;
  }
  override add(...args: Parameters<MemoryUsageLedger['add']>): Promise<void> {
    return this.up ? super.add(...args) : Promise.reject(new Error('down'));
  }
  override spentNanoUsd(day: string, caller: string): Promise<number> {
    return this.up ? super.spentNanoUsd(day, caller) : Promise.reject(new Error('down'));
  }
}

const counts = (cost: number): UsageCounts => ({ requests: 1, promptTokens: 10, completionTokens: 5, cachedTokens: 0, costNanoUsd: cost, cacheHits: 0, savedNanoUsd: 0 });
const DAY = '2026-12-02';
const settle = () => new Promise((resolve) => setImmediate(resolve));

test('an outage loses no usage, and the budget check keeps counting', async () => {
  const store = new Store();
  const ledger = new FallbackUsageLedger(store, createLogger('silent'));
  await ledger.add(DAY, 'app', 'groq/m', counts(100));
  assert.equal(await ledger.spentNanoUsd(DAY, 'app'), 100);

  store.up = false;
  await ledger.add(DAY, 'app', 'groq/m', counts(50));
  await ledger.add(DAY, 'app', 'ollama/m', counts(0));
  assert.equal(await ledger.spentNanoUsd(DAY, 'app'), 150, 'the last known spend plus what was booked meanwhile');

  store.up = true;
  assert.equal(await ledger.spentNanoUsd(DAY, 'app'), 150, 'the store plus the rows still held: counted once');
  await ledger.add(DAY, 'app', 'groq/m', counts(25));
  await settle();
  await settle();
  assert.equal(await store.spentNanoUsd(DAY, 'app'), 175, 'the held rows reached the store');
  assert.equal(await ledger.spentNanoUsd(DAY, 'app'), 175, 'and are no longer held');
  const rows = await ledger.rows([DAY]);
  assert.deepEqual(rows.map((r) => [r.model, r.requests, r.costNanoUsd]).sort(), [['groq/m', 3, 175], ['ollama/m', 1, 0]]);
});

/** A store that applies adds with an id once, as the Redis ledger does, and can time out after applying. */
class OnceStore extends Store {
  private readonly applied = new Set<string>();
  timeOutAfterApplying = false;
  override add(day: string, caller: string, model: string, counts: UsageCounts, once?: string): Promise<void> {
    if (!this.up) return Promise.reject(new Error('down'));
    const fresh = once === undefined || !this.applied.has(once);
    if (once !== undefined) this.applied.add(once);
    const applied = fresh ? super.add(day, caller, model, counts) : Promise.resolve();
    return this.timeOutAfterApplying ? applied.then(() => Promise.reject(new Error('Command timed out'))) : applied;
  }
}

test('an add that timed out after the store applied it is handed over with its id, and counted once', async () => {
  const store = new OnceStore();
  const ledger = new FallbackUsageLedger(store, createLogger('silent'));
  store.timeOutAfterApplying = true;
  await ledger.add(DAY, 'app', 'groq/m', counts(40));
  store.timeOutAfterApplying = false;
  await ledger.add(DAY, 'app', 'groq/m', counts(2));
  await settle();
  await settle();
  assert.equal(await store.spentNanoUsd(DAY, 'app'), 42, 'the timed-out add is not counted again');
  assert.deepEqual((await ledger.rows([DAY])).map((r) => [r.requests, r.costNanoUsd]), [[2, 42]]);
});

test('held records and the summed rest both reach the store after an outage', async () => {
  const store = new OnceStore();
  const ledger = new FallbackUsageLedger(store, createLogger('silent'));
  store.up = false;
  for (let i = 0; i < 3; i++) await ledger.add(DAY, 'app', 'groq/m', counts(10));
  await ledger.add(DAY, 'web', 'groq/m', counts(7));
  store.up = true;
  await ledger.add(DAY, 'app', 'groq/m', counts(1));
  for (let i = 0; i < 6; i++) await settle();
  assert.deepEqual((await store.rows([DAY])).map((r) => [r.caller, r.requests, r.costNanoUsd]).sort(), [['app', 4, 31], ['web', 1, 7]]);
  assert.deepEqual((await ledger.rows([DAY])).map((r) => [r.caller, r.requests, r.costNanoUsd]).sort(), [['app', 4, 31], ['web', 1, 7]], 'nothing held twice');
});
