import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Capabilities, Provider } from '../contracts/provider.ts';
import { createEventBus } from '../events/event-bus.ts';
import { createLogger } from '../log/logger.ts';
import { PluginRegistry } from '../plugin/registry.ts';
import { ClientClosedError } from './client-closed-error.ts';
import { ChainRouter } from './chain-router.ts';
import { HealthRegistry } from './health/health-registry.ts';
import { RequestScope } from './request-scope.ts';

// What a provider's capabilities() is handed: the request's own signal when it declares a signal
// parameter (it may call its upstream and must stop when the caller goes away), an inert one otherwise.

function routerWith(provider: Provider): ChainRouter {
  const registry = new PluginRegistry();
  registry.providers.set(provider.name, { provider, timeouts: { firstTokenMs: 1_000, stallMs: 1_000 }, overflow: 'fallback' });
  const events = createEventBus(() => undefined);
  const health = new HealthRegistry([provider.name], [], events, { threshold: 3, backoffMs: 1_000 });
  return new ChainRouter(registry, health, events, createLogger('silent'));
}

function providerNamed(name: string, capabilities: Provider['capabilities']): Provider {
  return { name, capabilities } as Provider;
}

const entry = { provider: 'p', model: 'm', resolved: 'p/m' };
const ALL: Capabilities = { chat: true, stream: true, embeddings: false, vision: false, tools: false, json: false, jsonSchema: false };

describe('ChainRouter capability lookups', () => {
  test('one that declares a signal gets the request signal, which aborts when the caller goes away', async () => {
    let seen: AbortSignal | undefined;
    const router = routerWith(providerNamed('p', (_model, signal) => ((seen = signal), ALL)));
    const scope = new RequestScope('r', 60_000);
    await router.walk(scope, [entry], ['chat'], async () => 'answer');
    assert.ok(seen, 'the lookup ran');
    assert.equal(seen, scope.signal);
    scope.clientClose();
    assert.equal(seen.aborted, true);
    assert.ok(seen.reason instanceof ClientClosedError, 'the signal carries why');
    scope.finish();
  });

  test('one that declares no signal gets an inert AbortSignal, and the request makes none', async () => {
    let args: unknown[] = [];
    const router = routerWith(
      providerNamed('p', function (this: unknown, ...given: unknown[]) {
        args = given;
        return ALL;
      } as unknown as Provider['capabilities']),
    );
    // A rest parameter declares no signal (length 0), yet reads it: it still gets a real one.
    const scope = new RequestScope('r', 60_000);
    const spied = Object.getOwnPropertyDescriptor(RequestScope.prototype, 'signal')!;
    let made = 0;
    Object.defineProperty(scope, 'signal', { get: () => (made++, spied.get!.call(scope)) });
    await router.walk(scope, [entry], ['chat'], async () => 'answer');
    assert.ok(args[1] instanceof AbortSignal, 'an AbortSignal is handed over');
    assert.equal((args[1] as AbortSignal).aborted, false);
    assert.equal(made, 0, 'the request signal was not made');
    scope.finish();
  });
});
