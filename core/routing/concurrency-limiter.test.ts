import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ClientClosedError } from '../errors/client-closed-error.ts';
import { CapacityExceededError } from '../errors/capacity-exceeded-error.ts';
import { ConcurrencyLimiter } from './concurrency-limiter.ts';
import { RequestScope } from './request-scope.ts';

const never = new RequestScope('never', 60_000);
never.finish();

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

test('a waiter whose request is aborted leaves the queue with the abort reason', async () => {
  const limiter = new ConcurrencyLimiter('gpu', 1, 5);
  const release = await limiter.acquire(never);
  const request = new RequestScope('r', 60_000);
  const waiting = limiter.acquire(request);
  request.clientClose();
  request.finish();
  await assert.rejects(waiting, ClientClosedError);
  assert.equal(limiter.queued, 0);
  release();
  assert.equal(limiter.inFlight, 0);
});

test('an already aborted request is refused at once', async () => {
  const limiter = new ConcurrencyLimiter('gpu', 1, 5);
  const request = new RequestScope('r', 60_000);
  request.clientClose();
  request.finish();
  await assert.rejects(limiter.acquire(request), ClientClosedError);
  assert.equal(limiter.inFlight, 0);
});

test('a granted waiter is unlinked from its request: a later abort changes nothing', async () => {
  const limiter = new ConcurrencyLimiter('gpu', 1, 5);
  const first = await limiter.acquire(never);
  const request = new RequestScope('r', 60_000);
  const waiting = limiter.acquire(request);
  first();
  const release = await waiting;
  request.clientClose();
  request.finish();
  assert.equal(limiter.inFlight, 1, 'the granted slot is still held');
  release();
  assert.equal(limiter.inFlight, 0);
});
