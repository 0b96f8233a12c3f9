import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ProviderHealthEvent } from '../../contracts/events.ts';
import { createEventBus } from '../../events/event-bus.ts';
import { createLogger } from '../../log/logger.ts';
import { UpstreamNetworkError } from '../../errors/upstream-network-error.ts';
import { HealthRegistry } from './health-registry.ts';
import { ProbeLoop } from './probe-loop.ts';

function setup(probes: Record<string, (signal: AbortSignal) => Promise<void>>, timeoutMs = 100) {
  const events = createEventBus((_e, err) => {
    throw err;
  });
  const transitions: ProviderHealthEvent[] = [];
  events.on('provider.health', (e) => transitions.push(e));
  const health = new HealthRegistry(Object.keys(probes), ['unset'], events, { threshold: 2, backoffMs: 60_000 });
  const loop = new ProbeLoop(new Map(Object.entries(probes).map(([name, probe]) => [name, { probe, intervalMs: 60_000 }])), health, createLogger('silent'), { timeoutMs });
  return { health, loop, transitions };
}

test('a provider whose first probe fails is out at once: a fresh start claims no health it has not seen', async () => {
  const { health, loop, transitions } = setup({
    gpu: async () => {
      throw new UpstreamNetworkError('refused');
    },
  });
  assert.equal(health.all()[0]!.lastProbeAt, null);
  await loop.runOnce();
  assert.equal(health.isHealthy('gpu'), false, 'below the threshold, but never seen healthy');
  assert.equal(health.admit('gpu'), 'reject', 'requests skip it until a probe or the backoff says otherwise');
  assert.deepEqual(transitions.map((t) => [t.healthy, t.state]), [[false, 'open']]);
});

test('after a first good probe, failing probes open the circuit at the threshold; a passing probe closes it', async () => {
  let up = true;
  const { health, loop, transitions } = setup({
    gpu: async () => {
      if (!up) throw new UpstreamNetworkError('refused');
    },
  });
  await loop.runOnce();
  up = false;
  await loop.runOnce();
  assert.equal(health.isHealthy('gpu'), true, 'one failure is below the threshold');
  await loop.runOnce();
  assert.equal(health.isHealthy('gpu'), false);
  assert.equal(health.all()[0]!.lastError, 'connection_error');
  up = true;
  await loop.runOnce();
  assert.equal(health.isHealthy('gpu'), true);
  assert.deepEqual(transitions.map((t) => t.healthy), [false, true]);
  assert.ok(health.all()[0]!.lastProbeAt !== null, 'the probe time is recorded');
});

test('a hanging probe is cut at the timeout, aborted, and does not hold up the others', async () => {
  let abortedWith: unknown;
  const { health, loop } = setup({
    hang: (signal) =>
      new Promise((_resolve, reject) => {
        signal.addEventListener('abort', () => {
          abortedWith = signal.reason;
          reject(signal.reason);
        });
      }),
    fine: async () => undefined,
    broken: async () => {
      throw new Error('not even a gateway error');
    },
  });
  const started = Date.now();
  await loop.runOnce();
  await loop.runOnce();
  assert.ok(Date.now() - started < 1000, 'each round ends at the probe timeout');
  assert.equal((abortedWith as { reason?: string }).reason, 'timeout');
  assert.equal(health.isHealthy('hang'), false);
  assert.equal(health.isHealthy('broken'), false);
  assert.equal(health.isHealthy('fine'), true);
  const states = Object.fromEntries(health.all().map((p) => [p.name, [p.configured, p.lastError]]));
  assert.deepEqual(states, { hang: [true, 'timeout'], fine: [true, null], broken: [true, 'probe_failed'], unset: [false, 'unconfigured'] });
  loop.stop();
});

test('the loop runs on its interval and stops', async () => {
  let calls = 0;
  const events = createEventBus(() => undefined);
  const health = new HealthRegistry(['p'], [], events, { threshold: 2, backoffMs: 1000 });
  const loop = new ProbeLoop(new Map([['p', { probe: async () => void calls++, intervalMs: 40 }]]), health, createLogger('silent'), { timeoutMs: 20 });
  loop.start();
  await new Promise((r) => setTimeout(r, 150));
  loop.stop();
  const seen = calls;
  assert.ok(seen >= 3, `probed ${seen} times in 150ms`);
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(calls, seen, 'no probes after stop');
});

test('each provider is probed at its own interval: the GPU box often, a cloud rarely', async () => {
  const calls = { gpu: 0, cloud: 0 };
  const events = createEventBus(() => undefined);
  const health = new HealthRegistry(['gpu', 'cloud'], [], events, { threshold: 2, backoffMs: 1000 });
  const probes = new Map([
    ['gpu', { probe: async () => void calls.gpu++, intervalMs: 30 }],
    ['cloud', { probe: async () => void calls.cloud++, intervalMs: 10_000 }],
  ]);
  const loop = new ProbeLoop(probes, health, createLogger('silent'), { timeoutMs: 20 });
  await loop.start();
  assert.deepEqual(calls, { gpu: 1, cloud: 1 }, 'the first round probes every provider');
  await new Promise((r) => setTimeout(r, 200));
  loop.stop();
  assert.ok(calls.gpu >= 4, `the GPU box was probed ${calls.gpu} times in 200 ms`);
  assert.equal(calls.cloud, 1, 'the cloud waits for its own interval');
});
