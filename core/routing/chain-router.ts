import type { AttemptRecord, EventBus } from '../contracts/events.ts';
import type { Capability } from '../contracts/provider.ts';
import { GatewayError, isGatewayError } from '../errors/gateway-error.ts';
import { adoptForeignError } from '../errors/foreign-error.ts';
import { NoHealthyProviderError } from '../errors/no-healthy-provider-error.ts';
import { ProviderCapabilityError } from '../errors/provider-capability-error.ts';
import { ProviderRateLimitError } from '../errors/provider-rate-limit-error.ts';
import { UpstreamProtocolError } from '../errors/upstream-protocol-error.ts';
import type { Logger } from '../log/logger.ts';
import type { PluginRegistry } from '../plugin/registry.ts';
import { Attempt } from './attempt.ts';
import type { HealthRegistry } from './health/health-registry.ts';
import type { ChainEntry } from './model-resolver.ts';
import type { RequestScope } from './request-scope.ts';

/** How to try one entry: given the attempt (provider, call, timers), produce the answer or throw. */
export type Perform<T> = (attempt: Attempt) => Promise<T>;

export interface Answered<T> {
  value: T;
  attempt: Attempt;
}

/**
 * Walks a chain in order and returns the first answer. Entries are skipped when their provider is not
 * configured, its circuit is open, or the model lacks what the request needs; a retryable failure is
 * counted against the provider and the walk goes on; anything else goes straight back to the caller and
 * leaves the provider's health alone. Every skip and failure is recorded in `scope.attempts` and announced
 * as a `fallback` event. When the chain runs out: 429 if every attempt was rate-limited, 400 if every entry
 * lacked a capability, else 503 with the attempt log.
 */
export class ChainRouter {
  constructor(
    private readonly registry: PluginRegistry,
    private readonly health: HealthRegistry,
    private readonly events: EventBus,
    private readonly log: Logger,
  ) {}

  async walk<T>(scope: RequestScope, chain: readonly ChainEntry[], needs: readonly Capability[], perform: Perform<T>): Promise<Answered<T>> {
    for (let index = 0; index < chain.length; index++) {
      const entry = chain[index]!;
      const next = chain[index + 1]?.resolved ?? 'none';
      throwIfAborted(scope);
      const registered = this.registry.provider(entry.provider);
      if (!registered) {
        this.record(scope, entry, next, 'unconfigured', this.registry.unconfigured.get(entry.provider) ?? 'not in the profile');
        continue;
      }
      const missing = await this.missingCapability(registered.provider, entry, needs, scope);
      if (missing) {
        this.record(scope, entry, next, 'capability', `${entry.resolved} cannot do ${missing}`);
        continue;
      }
      const admission = this.health.admit(entry.provider);
      if (admission === 'reject') {
        this.record(scope, entry, next, 'circuit_open', `${entry.provider} is out until its circuit closes`);
        continue;
      }
      let releaseSlot: (() => void) | undefined;
      if (registered.limiter) {
        try {
          releaseSlot = await registered.limiter.acquire(scope);
        } catch (err) {
          this.health.release(entry.provider);
          if (scope.aborted) throw scope.reason;
          if (registered.overflow === 'reject') {
            throw new ProviderRateLimitError(`${entry.provider} is at capacity (${(err as Error).message}); retry shortly.`, 1);
          }
          this.record(scope, entry, next, 'overloaded', (err as Error).message);
          continue;
        }
      }
      const attempt = new Attempt(entry, registered.provider, registered.timeouts, scope, releaseSlot);
      try {
        const value = await perform(attempt);
        this.health.succeed(entry.provider);
        return { value, attempt };
      } catch (thrown) {
        attempt.dispose();
        if (scope.aborted) {
          this.health.release(entry.provider);
          throw scope.reason;
        }
        const error = this.classify(thrown, entry);
        if (error instanceof ProviderCapabilityError && chain.length > 1) {
          this.health.succeed(entry.provider);
          this.record(scope, entry, next, 'capability', error.message);
          continue;
        }
        if (!error.retryable) {
          this.health.succeed(entry.provider);
          throw error;
        }
        const retryAfterMs = error instanceof ProviderRateLimitError && error.retryAfterSeconds !== undefined ? error.retryAfterSeconds * 1000 : undefined;
        this.health.fail(entry.provider, error.reason, retryAfterMs);
        this.events.emit('upstream.error', { provider: entry.provider, model: entry.model, error: error.reason });
        this.record(scope, entry, next, error.reason, error.message, error);
      }
    }
    throw exhausted(scope.attempts, this.rateLimits(scope));
  }

  /** Records a failed attempt of an answer already under way (a stream cut after its first chunk). */
  failedAfterCommit(attempt: Attempt, error: GatewayError): void {
    if (error.retryable) {
      this.health.fail(attempt.entry.provider, error.reason);
      this.events.emit('upstream.error', { provider: attempt.entry.provider, model: attempt.entry.model, error: error.reason });
    }
  }

  private async missingCapability(
    provider: { capabilities(model: string, signal: AbortSignal): unknown },
    entry: ChainEntry,
    needs: readonly Capability[],
    scope: RequestScope,
  ): Promise<Capability | undefined> {
    if (needs.length === 0) return undefined;
    let capabilities: Record<string, boolean>;
    // Most providers answer from memory and declare no signal parameter; making the request's AbortSignal
    // for them would cost more than the lookup. One that declares it (it may call its upstream) gets it.
    const signal = provider.capabilities.length >= 2 ? scope.signal : NEVER_ABORTED;
    try {
      capabilities = (await provider.capabilities(entry.model, signal)) as Record<string, boolean>;
    } catch (err) {
      // A provider that cannot say what a model does is given the benefit of the doubt: the call will tell.
      this.log.debug({ provider: entry.provider, model: entry.model, err: (err as Error).message }, 'capability lookup failed');
      return undefined;
    }
    return needs.find((need) => capabilities[need] === false);
  }

  private classify(thrown: unknown, entry: ChainEntry): GatewayError {
    if (isGatewayError(thrown)) return thrown;
    const adopted = adoptForeignError(thrown);
    if (adopted) return adopted;
    // A plugin that throws something untyped met an answer it did not understand: a protocol error.
    this.log.error({ provider: entry.provider, model: entry.model, err: thrown }, 'provider threw an untyped error');
    return new UpstreamProtocolError(`${entry.provider}: ${(thrown as Error)?.message ?? String(thrown)}`, thrown);
  }

  private readonly retryAfter = new WeakMap<AttemptRecord, number>();

  private record(scope: RequestScope, entry: ChainEntry, next: string, reason: string, message: string, error?: GatewayError): void {
    const record: AttemptRecord = { model: entry.resolved, reason, message };
    scope.attempts.push(record);
    if (error instanceof ProviderRateLimitError && error.retryAfterSeconds !== undefined) this.retryAfter.set(record, error.retryAfterSeconds);
    this.events.emit('fallback', { requestId: scope.requestId, from: entry.resolved, to: next, reason });
  }

  private rateLimits(scope: RequestScope): number[] {
    return scope.attempts.map((a) => this.retryAfter.get(a)).filter((s): s is number => s !== undefined);
  }
}

/** Handed to capability lookups that take no signal, so that even one reading it by other means gets a real, inert one. */
const NEVER_ABORTED = new AbortController().signal;

function throwIfAborted(scope: RequestScope): void {
  if (scope.aborted) throw scope.reason;
}

function exhausted(attempts: AttemptRecord[], retryAfters: number[]): GatewayError {
  if (attempts.length > 0 && attempts.every((a) => a.reason === 'rate_limited' || a.reason === 'overloaded')) {
    const wait = retryAfters.length === attempts.length ? Math.min(...retryAfters) : undefined;
    return new ProviderRateLimitError(
      `Every model of the chain is rate-limited or at capacity (${attempts.map((a) => a.model).join(', ')}); retry later.`,
      wait,
      { details: { attempts } },
    );
  }
  if (attempts.length > 0 && attempts.every((a) => a.reason === 'capability')) {
    return new ProviderCapabilityError(
      `No model of the chain can serve this request: ${attempts.map((a) => a.message ?? a.model).join('; ')}. Use a model or alias that supports it.`,
    );
  }
  return new NoHealthyProviderError(attempts);
}
