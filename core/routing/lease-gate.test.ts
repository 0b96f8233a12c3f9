import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MemorySharedState } from '../../test/helpers/memory-shared-state.ts';
import { ConcurrencyLimiter } from './concurrency-limiter.ts';
import { LeaseGate } from './lease-gate.ts';
import { RequestScope } from './request-scope.ts';

// A capped provider's slots when replicas share state: the local limiter first, then a lease counted
// across replicas; a freed lease wakes a waiter; an abort ends the wait; a store that is away leaves the
// local cap in charge.

function limiterWith(shared: MemorySharedState, cap: number): ConcurrencyLimiter {
  const limiter = new ConcurrencyLimiter('gpu', cap, 10);
  limiter.share(new LeaseGate(shared, 'provider:gpu', cap));
  return limiter;
}

const scope = () => new RequestScope('r', 60_000);

test('two replicas share the cap: the second waits until the first gives a slot back', async () => {
  const shared = new MemorySharedState();
  const [a, b] = [limiterWith(shared, 1), limiterWith(shared, 1)];
  const releaseA = await a.acquire(scope());
  let granted = false;
  const waiting = b.acquire(scope()).then((release) => {
    granted = true;
    return release;
  });
  await new Promise((resolve) => setTimeout(resolve, 30));
  assert.equal(granted, false, 'replica b waits while a holds the only slot');
  releaseA();
  const releaseB = await waiting;
  assert.equal(shared.held.get('provider:gpu'), 1);
  releaseB();
  releaseB();
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(shared.held.get('provider:gpu'), 0, 'released once, however often called');
});

test('an abort ends the wait for a lease and gives the local slot back', async () => {
  const shared = new MemorySharedState();
  const [a, b] = [limiterWith(shared, 1), limiterWith(shared, 1)];
  await a.acquire(scope());
  const request = scope();
  const waiting = b.acquire(request);
  request.abort(new Error('client gone'));
  await assert.rejects(waiting, /client gone/);
  assert.equal(b.inFlight, 0, 'the local slot is free again');
});

test('a store that is away: the local cap alone decides, at once', async () => {
  const shared = new MemorySharedState();
  const [a, b] = [limiterWith(shared, 1), limiterWith(shared, 1)];
  await a.acquire(scope());
  shared.down();
  const release = await b.acquire(scope());
  assert.equal(b.inFlight, 1);
  release();
});
