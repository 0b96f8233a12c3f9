import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CapacityExceededError, ConcurrencyLimiter } from './concurrency-limiter.ts';

const never = new AbortController().signal;

test('grants up to the cap at once, queues the rest in order, and hands slots on', async () => {
  const limiter = new ConcurrencyLimiter('gpu', 2, 2);
  const first = await limiter.acquire(never);
  const second = await limiter.acquire(never);
  const order: string[] = [];
  const third = limiter.acquire(never).then((release) => (order.push('third'), release));
  const fourth = limiter.acquire(never).then((release) => (order.push('fourth'), release));
  assert.equal(limiter.inFlight, 2);
  assert.equal(limiter.queued, 2);
  first();
  first(); // a second release of the same slot does nothing
  (await third)();
  second();
  (await fourth)();
  assert.deepEqual(order, ['third', 'fourth']);
  assert.equal(limiter.inFlight, 0);
  assert.equal(limiter.queued, 0);
});

test('a full queue refuses at once', async () => {
  const limiter = new ConcurrencyLimiter('gpu', 1, 1);
  await limiter.acquire(never);
  void limiter.acquire(never);
  await assert.rejects(limiter.acquire(never), CapacityExceededError);
});

test('a waiter whose signal fires leaves the queue with the signal reason', async () => {
  const limiter = new ConcurrencyLimiter('gpu', 1, 5);
  const release = await limiter.acquire(never);
  const controller = new AbortController();
  const waiting = limiter.acquire(controller.signal);
  controller.abort(new Error('caller left'));
  await assert.rejects(waiting, /caller left/);
  assert.equal(limiter.queued, 0);
  release();
  assert.equal(limiter.inFlight, 0);
});
