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

test('the queue serves high before normal before low, first come first served within a class', async () => {
  const limiter = new ConcurrencyLimiter('gpu', 1, 10);
  const holder = await limiter.acquire(never);
  const order: string[] = [];
  const queue = (name: string, priority: 'high' | 'normal' | 'low') =>
    limiter.acquire(never, priority).then((release) => {
      order.push(name);
      release();
    });
  const all = [queue('low-1', 'low'), queue('normal-1', 'normal'), queue('high-1', 'high'), queue('low-2', 'low'), queue('high-2', 'high'), queue('normal-2', 'normal')];
  assert.equal(limiter.queued, 6);
  holder();
  await Promise.all(all);
  assert.deepEqual(order, ['high-1', 'high-2', 'normal-1', 'normal-2', 'low-1', 'low-2']);
  assert.equal(limiter.inFlight, 0);
});

test('a full queue makes room for a higher class by refusing the latest waiter of the lowest class below it', async () => {
  const limiter = new ConcurrencyLimiter('gpu', 1, 2);
  const holder = await limiter.acquire(never);
  const early = limiter.acquire(never, 'low');
  const lateRefused = assert.rejects(limiter.acquire(never, 'low'), CapacityExceededError);
  const high = limiter.acquire(never, 'high');
  await lateRefused;
  assert.equal(limiter.queued, 2);
  // Nothing below low: a low newcomer to a full queue is refused itself.
  await assert.rejects(limiter.acquire(never, 'low'), CapacityExceededError);
  // A normal newcomer displaces the remaining low waiter; a high one then finds no class below it.
  const earlyRefused = assert.rejects(early, CapacityExceededError);
  const normal = limiter.acquire(never, 'normal');
  await earlyRefused;
  await assert.rejects(limiter.acquire(never, 'normal'), CapacityExceededError);
  holder();
  (await high)();
  (await normal)();
  assert.equal(limiter.inFlight, 0);
  assert.equal(limiter.queued, 0);
});

test('an aborted waiter leaves its own class queue', async () => {
  const limiter = new ConcurrencyLimiter('gpu', 1, 5);
  const holder = await limiter.acquire(never);
  const request = new RequestScope('r', 60_000);
  const waiting = limiter.acquire(request, 'high');
  const other = limiter.acquire(never, 'low');
  request.clientClose();
  request.finish();
  await assert.rejects(waiting, ClientClosedError);
  assert.equal(limiter.queued, 1);
  holder();
  (await other)();
  assert.equal(limiter.inFlight, 0);
});
