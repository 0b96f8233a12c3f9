import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { UsageCounts } from '../contracts/usage-ledger.ts';
import { formatUsd } from './accounting.ts';
import { MemoryUsageLedger } from './memory-usage-ledger.ts';

const counts = (over: Partial<UsageCounts> = {}): UsageCounts => ({
  requests: 1, promptTokens: 10, completionTokens: 5, cachedTokens: 0, costNanoUsd: 1_500, cacheHits: 0, savedNanoUsd: 0, ...over,
});

test('rows add up per day, caller and model; spent is the caller\'s day across models', async () => {
  const ledger = new MemoryUsageLedger();
  await ledger.add('2026-12-02', 'chat', 'groq/a', counts());
  await ledger.add('2026-12-02', 'chat', 'groq/a', counts({ cachedTokens: 4 }));
  await ledger.add('2026-12-02', 'chat', 'google/b', counts({ costNanoUsd: 7 }));
  await ledger.add('2026-12-02', 'batch', 'groq/a', counts({ costNanoUsd: 0, cacheHits: 1, savedNanoUsd: 9 }));
  await ledger.add('2026-12-01', 'chat', 'groq/a', counts());
  assert.equal(await ledger.spentNanoUsd('2026-12-02', 'chat'), 3_007);
  assert.equal(await ledger.spentNanoUsd('2026-12-02', 'nobody'), 0);
  const chatToday = await ledger.rows(['2026-12-02'], 'chat');
  assert.deepEqual(chatToday.map((r) => [r.model, r.requests, r.promptTokens, r.cachedTokens, r.costNanoUsd]), [['groq/a', 2, 20, 4, 3_000], ['google/b', 1, 10, 0, 7]]);
  assert.equal((await ledger.rows(['2026-12-01', '2026-12-02'])).length, 4);
});

test('days past the retention are dropped when a new day begins', async () => {
  const ledger = new MemoryUsageLedger();
  await ledger.add('2026-08-01', 'chat', 'groq/a', counts());
  await ledger.add('2026-12-02', 'chat', 'groq/a', counts());
  assert.deepEqual(await ledger.rows(['2026-08-01']), []);
  assert.equal(await ledger.spentNanoUsd('2026-08-01', 'chat'), 0);
});

test('formatUsd: decimal USD from nano-dollars, never an exponent', () => {
  const cases: Array<[number, string]> = [[0, '0'], [1, '0.000000001'], [123_000, '0.000123'], [1_500_000_000, '1.5'], [2e9, '2'], [12_345_678_901, '12.345678901']];
  for (const [nano, text] of cases) assert.equal(formatUsd(nano), text);
});
