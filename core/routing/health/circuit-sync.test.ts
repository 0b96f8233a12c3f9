import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MemorySharedState } from '../../../test/helpers/memory-shared-state.ts';
import type { ProviderHealthEvent } from '../../contracts/events.ts';
import { createEventBus } from '../../events/event-bus.ts';
import { createLogger } from '../../log/logger.ts';
import { HealthRegistry } from './health-registry.ts';

// Two registries on one store stand for two replicas: verdicts travel, the half-open trial is claimed
// once, a success on a clean circuit costs no store call, and an outage ends in a merge.

const settle = () => new Promise((resolve) => setImmediate(resolve));

async function replicas(clock: { now: number }, shared = new MemorySharedState()) {
  const make = async () => {
    const transitions: ProviderHealthEvent[] = [];
    const events = createEventBus((_e, err) => {
      throw err;
    });
    events.on('provider.health', (e) => transitions.push(e));
    const health = new HealthRegistry(['gpu'], [], events, { threshold: 2, backoffMs: 1000, now: () => clock.now });
    await health.share(shared, createLogger('silent'));
    return { health, transitions };
  };
  return { shared, a: await make(), b: await make() };
}

test('failures on two replicas add up, and the open circuit is seen by both, with its event', async () => {
  const { a, b } = await replicas({ now: 0 });
  a.health.fail('gpu', 'timeout');
  await settle();
  b.health.fail('gpu', 'timeout');
  await settle();
  assert.equal(a.health.isHealthy('gpu'), false, 'opened by the second failure, which was b’s');
  assert.equal(b.health.isHealthy('gpu'), false);
  assert.deepEqual(a.transitions.map((t) => t.state), ['open'], 'a announces what it adopted');
});

test('past the backoff only one replica gets the trial; its success closes both', async () => {
  const clock = { now: 0 };
  const { a, b } = await replicas(clock);
  a.health.fail('gpu', 'timeout');
  a.health.fail('gpu', 'timeout');
  await settle();
  clock.now = 1000;
  assert.equal(await a.health.admit('gpu'), 'trial');
  assert.equal(await b.health.admit('gpu'), 'reject', 'the other replica stays away during the trial');
  a.health.succeed('gpu');
  await settle();
  assert.equal(b.health.isHealthy('gpu'), true);
  assert.equal(b.health.admit('gpu'), 'pass');
});

test('a trial given back without a verdict lets another replica try', async () => {
  const clock = { now: 0 };
  const { a, b } = await replicas(clock);
  a.health.fail('gpu', 'timeout');
  a.health.fail('gpu', 'timeout');
  await settle();
  clock.now = 1000;
  assert.equal(await a.health.admit('gpu'), 'trial');
  a.health.release('gpu');
  await settle();
  assert.equal(await b.health.admit('gpu'), 'trial');
});

test('a success on a clean circuit writes nothing to the store', async () => {
  const { shared, a } = await replicas({ now: 0 });
  for (let i = 0; i < 100; i++) a.health.succeed('gpu');
  await settle();
  assert.equal(shared.records.has('gpu'), false);
});

test('the store away: local verdicts hold; back: the more cautious view wins on both', async () => {
  const { shared, a, b } = await replicas({ now: 0 });
  shared.down();
  a.health.fail('gpu', 'connection_error');
  a.health.fail('gpu', 'connection_error');
  await settle();
  assert.equal(a.health.isHealthy('gpu'), false, 'a trips on its own');
  assert.equal(b.health.isHealthy('gpu'), true, 'b has not heard');
  shared.back();
  await settle();
  await settle();
  assert.equal(b.health.isHealthy('gpu'), false, 'what a learned alone reaches b at the rejoin');
  assert.equal(shared.records.get('gpu')?.lastError, 'connection_error');
});
