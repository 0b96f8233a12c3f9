import type { AttemptEndEvent, AttemptRecord, EventBus } from '../contracts/events.ts';
import type { Capability, Provider, ProviderCall, StreamItem } from '../contracts/provider.ts';
import { adoptForeignError } from '../errors/foreign-error.ts';
import { isGatewayError, type GatewayError } from '../errors/gateway-error.ts';
import { NoHealthyProviderError } from '../errors/no-healthy-provider-error.ts';
import { ProviderCapabilityError } from '../errors/provider-capability-error.ts';
import { ProviderRateLimitError } from '../errors/provider-rate-limit-error.ts';
import { UpstreamProtocolError } from '../errors/upstream-protocol-error.ts';
import { UpstreamTimeoutError } from '../errors/upstream-timeout-error.ts';
import type { Logger } from '../log/logger.ts';
import type { PluginRegistry } from '../plugin/registry.ts';
import { Attempt } from './attempt.ts';
import { summarizeAnswer } from './attempt-summary.ts';
import { committedStream, openFirstChunk } from './committed-stream.ts';
import { judgeFailure, type Verdict } from './failure-verdict.ts';
import type { HealthRegistry } from './health/health-registry.ts';
import type { ChainEntry, Resolution } from './model-resolver.ts';
import type { RequestScope } from './request-scope.ts';

/** A stream whose first chunk is ready: from here on it belongs to `entry`, and a failure ends it. */
export interface CommittedStream {
  entry: ChainEntry;
  /**
   * Every chunk, the first included, as the provider yields it. It throws a classified GatewayError when
   * the stream fails after its first chunk (already counted and logged: the consumer only writes it), or
   * the request's own abort reason when the caller went away or the deadline passed. Stopping early
   * (`return()`, a `break`) releases the upstream call and its slot.
   */
  chunks: AsyncIterable<StreamItem>;
}

/**
 * Owns every attempt of a request, from admission to its last chunk: it walks the chain in order, skips
 * entries that cannot serve (unconfigured, lacking a capability, circuit open, over capacity), runs the
 * attempt with its timeouts, classifies every failure once (failure-verdict.ts), applies the health
 * effect, records the attempt log and `fallback` events, and decides the commit point of a stream. A route
 * hands it a request and gets back a whole answer (`answer`) or a committed stream (`stream`); it never
 * sees an attempt.
 */
export class ChainRouter {
  constructor(
    private readonly registry: PluginRegistry,
    private readonly health: HealthRegistry,
    private readonly events: EventBus,
    private readonly log: Logger,
    /** Whether a provider runs on the platform's own hardware (a local-only caller is served by no other). */
    private readonly isLocal: (provider: string) => boolean = () => false,
  ) {}

  /** A whole answer (chat, embeddings): the first entry whose `perform` resolves within its limits, and that entry. */
  async answer<T>(scope: RequestScope, resolution: Resolution, needs: readonly Capability[], perform: (provider: Provider, call: ProviderCall) => Promise<T>): Promise<{ value: T; entry: ChainEntry }> {
    const { value, attempt } = await this.walk(scope, resolution, needs, false, (attempt) => {
      const limit = attempt.remainingMs();
      return attempt.within(perform(attempt.provider, attempt.call), limit, () => new UpstreamTimeoutError(`${attempt.entry.resolved} did not answer within ${limit}ms`, 'attempt'));
    });
    if (attempt.reporting) this.reportEnd(attempt, { ok: true, ...summarizeAnswer(value), answer: value });
    attempt.dispose();
    return { value, entry: attempt.entry };
  }

  /**
   * A streamed answer: walks the chain until an entry produces its first chunk (falling back on anything
   * before it), then hands the stream over. The first chunk is the commit point: the provider is healthy
   * from there, and later failures end the stream instead of falling back.
   */
  async stream(scope: RequestScope, resolution: Resolution, needs: readonly Capability[], open: (provider: Provider, call: ProviderCall) => AsyncIterable<StreamItem>): Promise<CommittedStream> {
    const { value: opened, attempt } = await this.walk(scope, resolution, needs, true, (attempt) => openFirstChunk(attempt, open));
    scope.outcome.ttftMs = performance.now() - scope.startedAt;
    const inAlias = resolution.alias !== undefined;
    const ended = attempt.reporting ? this.streamEnded(attempt, Date.now() - attempt.startedAt) : undefined;
    const chunks = committedStream(attempt, opened, (thrown) => this.failedAfterCommit(attempt, thrown, inAlias), ended);
    return { entry: attempt.entry, chunks };
  }

  private async walk<T>(scope: RequestScope, resolution: Resolution, needs: readonly Capability[], stream: boolean, attemptOnce: (attempt: Attempt) => Promise<T>): Promise<{ value: T; attempt: Attempt }> {
    const { chain } = resolution;
    const inAlias = resolution.alias !== undefined;
    const waits: number[] = [];
    for (let index = 0; index < chain.length; index++) {
      const entry = chain[index]!;
      const next = chain[index + 1]?.resolved ?? 'none';
      if (scope.aborted) throw scope.reason;
      const attempt = await this.admit(scope, entry, next, needs);
      if (!attempt) continue;
      if (this.events.has('attempt.start') || this.events.has('attempt.end')) this.reportStart(attempt, stream);
      try {
        const value = await attemptOnce(attempt);
        this.health.succeed(entry.provider);
        const { outcome } = scope;
        outcome.resolved = entry.resolved;
        outcome.provider = entry.provider;
        outcome.model = entry.model;
        return { value, attempt };
      } catch (thrown) {
        attempt.dispose();
        const { error, verdict } = this.settle(attempt, thrown, inAlias);
        if (verdict.action === 'return') throw error;
        if (error.retryAfterSeconds !== undefined) waits.push(error.retryAfterSeconds);
        this.record(scope, entry, next, error.reason, error.message);
      }
    }
    throw exhausted(scope.attempts, waits);
  }

  /**
   * The admission of one entry, or undefined when it is skipped (and recorded as such): configured, able
   * to serve what the request needs, allowed to serve the caller (a cloud provider is not, for a local-only one), its circuit letting the call through, a slot under its cap.
   */
  private async admit(scope: RequestScope, entry: ChainEntry, next: string, needs: readonly Capability[]): Promise<Attempt | undefined> {
    const registered = this.registry.provider(entry.provider);
    if (!registered) {
      this.record(scope, entry, next, 'unconfigured', this.registry.unconfigured.get(entry.provider) ?? 'not in the profile');
      return undefined;
    }
    if (scope.caller.localOnly && !this.isLocal(entry.provider)) {
      this.record(scope, entry, next, 'policy', `${entry.provider} is a cloud provider and caller "${scope.caller.name}" is local-only`);
      return undefined;
    }
    const missing = await this.missingCapability(registered.provider, entry, needs, scope);
    if (missing) {
      this.record(scope, entry, next, 'capability', `${entry.resolved} cannot do ${missing}`);
      return undefined;
    }
    let admission = this.health.admit(entry.provider);
    // Only a half-open trial with shared state waits (to claim it from the other replicas).
    if (typeof admission !== 'string') admission = await admission;
    if (admission === 'reject') {
      this.record(scope, entry, next, 'circuit_open', `${entry.provider} is out until its circuit closes`);
      return undefined;
    }
    let releaseSlot: (() => void) | undefined;
    if (registered.limiter) {
      try {
        releaseSlot = await registered.limiter.acquire(scope, scope.caller.priority);
      } catch (err) {
        this.health.release(entry.provider);
        if (scope.aborted) throw scope.reason;
        if (registered.overflow === 'reject') {
          throw new ProviderRateLimitError(`${entry.provider} is at capacity (${(err as Error).message}); retry shortly.`, 1);
        }
        this.record(scope, entry, next, 'overloaded', (err as Error).message);
        return undefined;
      }
    }
    return new Attempt(entry, registered.provider, registered.timeouts, scope, releaseSlot);
  }

  /**
   * The one place a failed attempt is judged: the request's own abort wins (no verdict on the provider);
   * anything else is classified once and its health effect applied.
   */
  private settle(attempt: Attempt, thrown: unknown, inAlias: boolean): { error: GatewayError; verdict: Verdict } {
    const { entry, scope } = attempt;
    if (scope.aborted) {
      this.health.release(entry.provider);
      if (attempt.reporting) this.reportEnd(attempt, { ok: false, errorType: isGatewayError(scope.reason) ? scope.reason.reason : 'cancelled' });
      throw scope.reason;
    }
    const error = this.classify(thrown, entry);
    if (attempt.reporting) this.reportEnd(attempt, { ok: false, errorType: error.reason });
    const verdict = judgeFailure(error, inAlias);
    if (verdict.health === 'fail') {
      this.health.fail(entry.provider, error.reason, error.retryAfterSeconds === undefined ? undefined : error.retryAfterSeconds * 1000);
    } else {
      // A caller's error or an entry that cannot serve this request says nothing about the provider's
      // health: only a half-open trial it held is given back.
      this.health.release(entry.provider);
    }
    if (verdict.upstreamError) this.events.emit('upstream.error', { provider: entry.provider, model: entry.model, error: error.reason });
    if (verdict.warn) this.log.warn({ requestId: scope.requestId, provider: entry.provider, model: entry.model, code: error.code, err: error.message }, `${entry.provider}: ${error.message}`);
    return { error, verdict };
  }

  /** A stream that failed after its first chunk: judged like any attempt, reported once, and ended. */
  private failedAfterCommit(attempt: Attempt, thrown: unknown, inAlias: boolean): unknown {
    let error: GatewayError;
    try {
      error = this.settle(attempt, thrown, inAlias).error;
    } catch (reason) {
      // The caller went away or the deadline passed: that reason ends the stream, and says nothing of the provider.
      return reason;
    }
    this.log.warn({ requestId: attempt.scope.requestId, resolved: attempt.entry.resolved, code: error.code, err: error.message }, 'stream ended with an error after its first chunk');
    return error;
  }

  /** `attempt.start`, with the headers its listeners ask the provider to send (a trace context). */
  private reportStart(attempt: Attempt, stream: boolean): void {
    const { scope, entry } = attempt;
    attempt.reporting = ++scope.attemptsBegun;
    const upstreamHeaders: Record<string, string> = {};
    this.events.emit('attempt.start', {
      requestId: scope.requestId,
      attempt: attempt.reporting,
      operation: scope.operation,
      provider: entry.provider,
      model: entry.model,
      resolved: entry.resolved,
      stream,
      upstreamHeaders,
    });
    if (Object.keys(upstreamHeaders).length > 0) attempt.call.headers = upstreamHeaders;
  }

  /** `attempt.end`, once per attempt. */
  private reportEnd(attempt: Attempt, result: Omit<AttemptEndEvent, 'requestId' | 'attempt' | 'provider' | 'model' | 'resolved'>): void {
    const number = attempt.reporting;
    attempt.reporting = 0;
    const { entry } = attempt;
    this.events.emit('attempt.end', { requestId: attempt.scope.requestId, attempt: number, provider: entry.provider, model: entry.model, resolved: entry.resolved, ...result });
  }

  /** A committed stream's end: its usage and finish reasons (a failure after the commit is reported by `settle`). */
  private streamEnded(attempt: Attempt, ttftMs: number): (finishReasons: string[]) => void {
    return (finishReasons) => {
      if (!attempt.reporting) return;
      const { scope } = attempt;
      if (scope.aborted) this.reportEnd(attempt, { ok: false, errorType: isGatewayError(scope.reason) ? scope.reason.reason : 'cancelled', ttftMs });
      else this.reportEnd(attempt, { ok: true, usage: scope.outcome.usage, finishReasons, ttftMs });
    };
  }

  private async missingCapability(provider: Provider, entry: ChainEntry, needs: readonly Capability[], scope: RequestScope): Promise<Capability | undefined> {
    if (needs.length === 0) return undefined;
    let capabilities: Record<string, boolean>;
    try {
      // The scope is the lookup context: its signal is made only if the provider reads it.
      capabilities = (await provider.capabilities(entry.model, scope)) as unknown as Record<string, boolean>;
    } catch (err) {
      // A provider that cannot say what a model does is given the benefit of the doubt: the call will tell.
      this.log.debug({ provider: entry.provider, model: entry.model, err: (err as Error).message }, 'capability lookup failed');
      return undefined;
    }
    return needs.find((need) => capabilities[need] === false);
  }

  private classify(thrown: unknown, entry: ChainEntry): GatewayError {
    const adopted = adoptForeignError(thrown);
    if (adopted) return adopted;
    // A plugin that throws something untyped met an answer it did not understand: a protocol error.
    this.log.error({ provider: entry.provider, model: entry.model, err: thrown }, 'provider threw an untyped error');
    return new UpstreamProtocolError(`${entry.provider}: ${(thrown as Error)?.message ?? String(thrown)}`, thrown);
  }

  private record(scope: RequestScope, entry: ChainEntry, next: string, reason: string, message: string): void {
    scope.attempts.push({ model: entry.resolved, reason, message });
    this.events.emit('fallback', { requestId: scope.requestId, from: entry.resolved, to: next, reason });
  }
}

/**
 * The chain ran out: 429 when every attempt was rate-limited or over capacity (with the shortest wait when
 * every one of them said how long), 400 when every entry lacked a capability, else 503 with the log.
 */
function exhausted(attempts: AttemptRecord[], waits: number[]): GatewayError {
  if (attempts.length > 0 && attempts.every((a) => a.reason === 'rate_limited' || a.reason === 'overloaded')) {
    return new ProviderRateLimitError(
      `Every model of the chain is rate-limited or at capacity (${attempts.map((a) => a.model).join(', ')}); retry later.`,
      waits.length === attempts.length ? Math.min(...waits) : undefined,
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
