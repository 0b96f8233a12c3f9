import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CLEAN, failed, isClean, keptOutUntil, merged, succeeded, tripped, type CircuitPolicy, type CircuitRecord } from './circuit-record.ts';

const policy: CircuitPolicy = { threshold: 2, backoffMs: 1000, maxRetryAfterMs: 5000 };
const NOW = 10_000;
const record = (over: Partial<CircuitRecord>): CircuitRecord => ({ ...CLEAN, ...over });

test('the transitions, case by case', () => {
  const cases: Array<[string, CircuitRecord, CircuitRecord]> = [
    ['a first failure is counted, below the threshold', failed(CLEAN, 'timeout', NOW, policy), record({ failures: 1, lastError: 'timeout' })],
    ['the threshold opens for a backoff', failed(record({ failures: 1 }), 'timeout', NOW, policy), record({ state: 'open', failures: 2, openUntil: NOW + 1000, lastError: 'timeout' })],
    ['a failed trial opens again at once', failed(record({ state: 'half_open', failures: 5, openUntil: 1 }), 'upstream_5xx', NOW, policy), record({ state: 'open', failures: 6, openUntil: NOW + 1000, lastError: 'upstream_5xx' })],
    ['a 429 holds for its Retry-After, capped', failed(CLEAN, 'rate_limited', NOW, policy, 60_000), record({ state: 'open', failures: 1, rateLimitedUntil: NOW + 5000, lastError: 'rate_limited' })],
    ['a success closes and resets', succeeded(record({ state: 'open', failures: 3, openUntil: NOW + 1, lastError: 'x' }), NOW), CLEAN],
    ['a success during a Retry-After hold keeps the hold', succeeded(record({ state: 'open', failures: 1, rateLimitedUntil: NOW + 1, lastError: 'rate_limited' }), NOW), record({ state: 'open', rateLimitedUntil: NOW + 1 })],
    ['a trip opens whatever the count', tripped(CLEAN, 'probe_failed', NOW, policy), record({ state: 'open', failures: 1, openUntil: NOW + 1000, lastError: 'probe_failed' })],
  ];
  for (const [name, actual, expected] of cases) assert.deepEqual(actual, expected, name);
});

test('the version is kept by every transition (the store raises it)', () => {
  assert.equal(failed(record({ version: 7 }), 'timeout', NOW, policy).version, 7);
  assert.equal(succeeded(record({ version: 7, failures: 1 }), NOW).version, 7);
});

test('clean, and how long a record keeps a provider out', () => {
  assert.equal(isClean(CLEAN), true);
  assert.equal(isClean(record({ failures: 1 })), false);
  assert.equal(isClean(record({ rateLimitedUntil: 5 })), false);
  assert.equal(keptOutUntil(record({ openUntil: 3, rateLimitedUntil: 9 })), 9);
});

test('merging two views after an outage: the more cautious wins', () => {
  const cases: Array<[string, CircuitRecord, CircuitRecord, CircuitRecord]> = [
    ['both clean', CLEAN, CLEAN, CLEAN],
    [
      'open locally, closed in the store: open, with the local reason',
      record({ version: 4 }),
      record({ state: 'open', failures: 2, openUntil: 50, lastError: 'timeout' }),
      record({ state: 'open', failures: 2, openUntil: 50, lastError: 'timeout', version: 4 }),
    ],
    [
      'both open: the later hold and the higher count',
      record({ state: 'open', failures: 3, openUntil: 80, lastError: 'a' }),
      record({ state: 'half_open', failures: 1, openUntil: 40, rateLimitedUntil: 90, lastError: 'b' }),
      record({ state: 'open', failures: 3, openUntil: 80, rateLimitedUntil: 90, lastError: 'b' }),
    ],
    ['closed with a failure counted on one side', CLEAN, record({ failures: 1, lastError: 'x' }), record({ failures: 1, lastError: 'x' })],
  ];
  for (const [name, shared, local, expected] of cases) assert.deepEqual(merged(shared, local), expected, name);
});
