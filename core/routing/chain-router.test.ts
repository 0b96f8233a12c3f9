import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { CapabilityLookup, Provider } from '../contracts/provider.ts';
import { ClientClosedError } from '../errors/client-closed-error.ts';
import { isGatewayError, type GatewayError } from '../errors/gateway-error.ts';
import { ModelNotFoundError } from '../errors/model-not-found-error.ts';
import { ProviderAuthError } from '../errors/provider-auth-error.ts';
import { ProviderBlockedError } from '../errors/provider-blocked-error.ts';
import { ProviderCapabilityError } from '../errors/provider-capability-error.ts';
import { ProviderRateLimitError } from '../errors/provider-rate-limit-error.ts';
import { ProviderTruncatedError } from '../errors/provider-truncated-error.ts';
import { UpstreamHttpError } from '../errors/upstream-http-error.ts';
import { UpstreamNetworkError } from '../errors/upstream-network-error.ts';
import { UpstreamProtocolError } from '../errors/upstream-protocol-error.ts';
import { UpstreamTimeoutError } from '../errors/upstream-timeout-error.ts';
import { ChainRouter } from './chain-router.ts';
import type { Resolution } from './model-resolver.ts';
import { RequestScope } from './request-scope.ts';
import { ALL, aliasChain, direct, foreign, harness, provider, scopeOf, type Harness } from './chain-router.fixture.ts';


/** What the walk did with one failure of entry `a`. */
async function walkOnce(h: Harness, resolution: Resolution): Promise<{ answeredBy?: string; error?: GatewayError; scope: RequestScope }> {
  const scope = scopeOf();
  try {
    await h.router.answer(scope, resolution, [], (p, call) => p.chat({ messages: [] }, call));
    return { answeredBy: scope.outcome.resolved, scope };
  } catch (err) {
    if (!isGatewayError(err)) throw err;
    return { error: err, scope };
  } finally {
    scope.finish();
  }
}

interface Row {
  name: string;
  error: unknown;
  /** What an alias chain does: move on to `b` with this attempts reason, or return this status. */
  alias: { next: string } | { status: number };
  /** What a direct provider/model does. */
  direct: { status: number };
  /** Whether the failure counts against `a`'s health. */
  counts: boolean;
  /** Whether it is an upstream error of `a` in each kind of chain. */
  upstreamError: { alias: boolean; direct: boolean };
  warns?: boolean;
}

const ROWS: Row[] = [
  { name: 'connection refused', error: new UpstreamNetworkError('a: cannot reach'), alias: { next: 'connection_error' }, direct: { status: 503 }, counts: true, upstreamError: { alias: true, direct: true } },
  { name: 'a timeout', error: new UpstreamTimeoutError('a: slow', 'attempt'), alias: { next: 'timeout' }, direct: { status: 503 }, counts: true, upstreamError: { alias: true, direct: true } },
  { name: 'a malformed 200', error: new UpstreamProtocolError('a: not JSON'), alias: { next: 'protocol_error' }, direct: { status: 503 }, counts: true, upstreamError: { alias: true, direct: true } },
  { name: 'a 503', error: new UpstreamHttpError('a: down', 503), alias: { next: 'upstream_5xx' }, direct: { status: 503 }, counts: true, upstreamError: { alias: true, direct: true } },
  { name: 'a 429', error: new ProviderRateLimitError('a: slow down', 30), alias: { next: 'rate_limited' }, direct: { status: 429 }, counts: true, upstreamError: { alias: true, direct: true } },
  { name: 'an untyped throw', error: new TypeError('cannot read x of undefined'), alias: { next: 'protocol_error' }, direct: { status: 503 }, counts: true, upstreamError: { alias: true, direct: true } },
  { name: 'a missing capability', error: new ProviderCapabilityError('a: no tools'), alias: { next: 'capability' }, direct: { status: 400 }, counts: false, upstreamError: { alias: false, direct: false } },
  { name: 'a model the provider does not have', error: new ModelNotFoundError('a: no such model'), alias: { next: 'model_not_found' }, direct: { status: 404 }, counts: false, upstreamError: { alias: true, direct: false } },
  { name: 'the provider rejecting its own key', error: new ProviderAuthError('a: bad key'), alias: { next: 'provider_auth_error' }, direct: { status: 502 }, counts: false, upstreamError: { alias: true, direct: true }, warns: true },
  { name: 'blocked content', error: new ProviderBlockedError('a: blocked'), alias: { status: 422 }, direct: { status: 422 }, counts: false, upstreamError: { alias: false, direct: false } },
  { name: 'a truncated answer', error: new ProviderTruncatedError('a: cut'), alias: { status: 502 }, direct: { status: 502 }, counts: false, upstreamError: { alias: false, direct: false } },
  { name: "the caller's own 4xx", error: new UpstreamHttpError('a: temperature too high', 400), alias: { status: 400 }, direct: { status: 400 }, counts: false, upstreamError: { alias: false, direct: false } },
  { name: 'a foreign rate limit', error: foreign({ status: 429, code: 'rate_limited', retryable: true, retryAfterSeconds: 30 }), alias: { next: 'rate_limited' }, direct: { status: 429 }, counts: true, upstreamError: { alias: true, direct: true } },
  { name: 'a foreign blocked answer', error: foreign({ status: 422, code: 'content_blocked', retryable: false }), alias: { status: 422 }, direct: { status: 422 }, counts: false, upstreamError: { alias: false, direct: false } },
  { name: 'a foreign unknown model', error: foreign({ status: 404, code: 'model_not_found', retryable: false }), alias: { next: 'model_not_found' }, direct: { status: 404 }, counts: false, upstreamError: { alias: true, direct: false } },
];

describe('ChainRouter: one classification of every failure', () => {
  for (const row of ROWS) {
    test(`${row.name}: in an alias chain ${'next' in row.alias ? `moves on (${row.alias.next})` : `returns ${row.alias.status}`}; direct returns ${row.direct.status}`, async () => {
      for (const kind of ['alias', 'direct'] as const) {
        const h = harness([provider('a', { fail: row.error }), provider('b')]);
        // One failure before: a caller's error must leave the count where it is, not reset it.
        h.health.fail('a', 'upstream_5xx');
        const result = await walkOnce(h, kind === 'alias' ? aliasChain : direct);
        const expected = kind === 'alias' ? row.alias : row.direct;
        if ('next' in expected) {
          assert.equal(result.answeredBy, 'b/m', `${kind}: the next entry answered`);
          assert.deepEqual(result.scope.attempts.map((a) => [a.model, a.reason]), [['a/m', expected.next]]);
          assert.deepEqual(h.fallbacks.map((f) => [f.from, f.to, f.reason]), [['a/m', 'b/m', expected.next]]);
        } else {
          assert.equal(result.error?.status, expected.status, `${kind}: status (got ${result.error?.code}: ${result.error?.message})`);
          if (kind === 'alias') assert.equal(h.fallbacks.length, 0, 'nothing else was tried');
        }
        assert.equal(h.failures('a'), row.counts ? 2 : 1, `${kind}: the failure count of a`);
        assert.equal(h.upstreamErrors.length, row.upstreamError[kind] ? 1 : 0, `${kind}: upstream.error events`);
        assert.equal(h.warnings.length, row.warns ? 1 : 0, `${kind}: warnings logged: ${JSON.stringify(h.warnings)}`);
      }
    });
  }

  test("a rate limit's Retry-After holds the provider out, also from a plugin that cannot import the class", async () => {
    for (const error of [new ProviderRateLimitError('a: slow down', 30), foreign({ status: 429, code: 'rate_limited', retryable: true, retryAfterSeconds: 30 })]) {
      const h = harness([provider('a', { fail: error }), provider('b')]);
      const before = Date.now();
      await walkOnce(h, aliasChain);
      const until = h.health.all().find((p) => p.name === 'a')!.unhealthyUntil;
      assert.ok(until !== null && until >= before + 29_000, `held out for the Retry-After (until ${until}, now ${before})`);
      const next = await walkOnce(h, aliasChain);
      assert.deepEqual(next.scope.attempts.map((a) => a.reason), ['circuit_open']);
    }
  });

  test('every entry rate-limited: a 429 whose Retry-After is the shortest wait', async () => {
    const h = harness([provider('a', { fail: new ProviderRateLimitError('a', 30) }), { ...provider('b', { fail: foreign({ status: 429, code: 'rate_limited', retryable: true, retryAfterSeconds: 7 }) }), name: 'b' }]);
    const { error } = await walkOnce(h, aliasChain);
    assert.equal(error?.status, 429);
    assert.equal(error?.headers?.['Retry-After'], '7');
  });

  test('a half-open trial that meets a caller error is given back: the circuit neither closes nor reopens', async () => {
    let now = 1_000_000;
    const h = harness([provider('a', { fail: new UpstreamHttpError('a: bad parameter', 400) })], { now: () => now });
    for (let i = 0; i < 100; i++) h.health.fail('a', 'upstream_5xx');
    assert.equal(h.health.all()[0]!.state, 'open');
    now += 61_000;
    const { error } = await walkOnce(h, direct);
    assert.equal(error?.status, 400, 'the trial went through and the caller got its error');
    const after = h.health.all()[0]!;
    assert.equal(after.consecutiveFailures, 100, 'the count is unchanged');
    assert.notEqual(after.state, 'closed', 'a 400 proves nothing about recovery');
    assert.equal(h.health.admit('a'), 'trial', 'the next caller gets the trial');
  });
});


describe('ChainRouter: capability lookups get a lazily made signal, however they are declared', () => {
  const declarations: Array<[string, (seen: (lookup: CapabilityLookup) => void) => Provider['capabilities']]> = [
    ['(model, lookup)', (seen) => (_model, lookup) => (seen(lookup), ALL)],
    ['(...args)', (seen) => (...args: unknown[]) => (seen(args[1] as CapabilityLookup), ALL)],
    ['(model, lookup = default)', (seen) => (_model: string, lookup: CapabilityLookup = { signal: new AbortController().signal }) => (seen(lookup), ALL)],
    ['a wrapper', (seen) => {
      const inner = (_model: string, lookup: CapabilityLookup) => (seen(lookup), ALL);
      return (...args: Parameters<typeof inner>) => inner(...args);
    }],
  ];
  for (const [name, declare] of declarations) {
    test(`${name}: the signal read is the request's, and aborts when the caller goes away`, async () => {
      let signal: AbortSignal | undefined;
      const h = harness([provider('a', { capabilities: declare((lookup) => (signal = lookup.signal)) })]);
      const scope = scopeOf();
      await h.router.answer(scope, direct, ['chat'], (p, call) => p.chat({ messages: [] }, call));
      assert.ok(signal instanceof AbortSignal, 'a real AbortSignal');
      assert.equal(signal.aborted, false);
      scope.clientClose();
      assert.equal(signal.aborted, true, 'it follows the request');
      assert.ok(signal.reason instanceof ClientClosedError, 'and says why');
      scope.finish();
    });
  }

  test('a lookup that never reads the signal makes the request build none', async () => {
    const h = harness([provider('a', { capabilities: () => ALL })]);
    const scope = scopeOf();
    const spied = Object.getOwnPropertyDescriptor(RequestScope.prototype, 'signal')!;
    let made = 0;
    Object.defineProperty(scope, 'signal', { get: () => (made++, spied.get!.call(scope)) });
    await h.router.answer(scope, direct, ['chat'], (p, call) => p.chat({ messages: [] }, call));
    assert.equal(made, 0, 'no AbortSignal was made');
    scope.finish();
  });
});
