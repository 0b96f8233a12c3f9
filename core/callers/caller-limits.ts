import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { CallerLimitError } from '../errors/caller-limit-error.ts';
import type { SharedLease, SharedState } from '../contracts/shared-state.ts';
import type { Caller } from './caller.ts';

/** Makes the counter of one limit: in memory here; a shared store (issue: replicas) hands in its own. */
export type RateLimiterFactory = (options: { keyPrefix: string; points: number; duration: number }) => RateLimiterAbstract;

export const memoryRateLimiter: RateLimiterFactory = (options) => new RateLimiterMemory(options);

const WINDOW_SECONDS = 60;

/**
 * The limits of the callers file, counted with rate-limiter-flexible (atomic, with memory and Redis
 * backends): requests per 60-second window, tokens per 60-second window (the tokens of answers that
 * ended, counted after the fact: a request is admitted while the window's count is below the limit),
 * and requests in flight. Each window starts with the caller's first request in it (the library's
 * fixed window keyed per caller).
 */
export class CallerLimits {
  private readonly requestCounters = new Map<string, RateLimiterAbstract>();
  private readonly tokenCounters = new Map<string, RateLimiterAbstract>();
  private readonly inFlight = new Map<string, number>();

  constructor(
    private readonly makeLimiter: RateLimiterFactory = memoryRateLimiter,
    /** With replicas: requests in flight are also counted across them, as leases. */
    private readonly shared?: SharedState,
  ) {}

  /**
   * Admits one request of `caller`, or throws the CallerLimitError of the first limit it is over. The
   * returned function gives its concurrency slot back (call it once, when the request is over).
   */
  async admit(caller: Caller): Promise<() => void> {
    const limits = caller.limits;
    if (!limits) return noop;
    // The slot is taken first and synchronously, so two requests arriving together cannot both pass.
    let release = this.takeSlot(caller);
    try {
      if (limits.concurrent !== undefined) release = await this.takeSharedSlot(caller, limits.concurrent, release);
      if (limits.tokensPerMinute !== undefined) {
        const window = await this.counter(this.tokenCounters, 'tpm', caller.name, limits.tokensPerMinute).get(caller.name);
        if (window && window.consumedPoints >= limits.tokensPerMinute) {
          throw new CallerLimitError(
            `caller "${caller.name}" used ${window.consumedPoints} tokens in the last minute, at or over its limit of ${limits.tokensPerMinute} tokens per minute (limits.tokensPerMinute in the callers file); retry in ${seconds(window.msBeforeNext)} s.`,
            'tokens_per_minute',
            seconds(window.msBeforeNext),
          );
        }
      }
      if (limits.requestsPerMinute !== undefined) {
        try {
          await this.counter(this.requestCounters, 'rpm', caller.name, limits.requestsPerMinute).consume(caller.name, 1);
        } catch (refused) {
          if (!(refused instanceof RateLimiterRes)) throw refused;
          throw new CallerLimitError(
            `caller "${caller.name}" is over its limit of ${limits.requestsPerMinute} requests per minute (limits.requestsPerMinute in the callers file); retry in ${seconds(refused.msBeforeNext)} s.`,
            'requests_per_minute',
            seconds(refused.msBeforeNext),
          );
        }
      }
      return release;
    } catch (err) {
      release();
      throw err;
    }
  }

  /** Counts the tokens of an answer that ended against the caller's tokens per minute. */
  countTokens(caller: Caller, tokens: number): Promise<void> {
    const perMinute = caller.limits?.tokensPerMinute;
    if (perMinute === undefined || tokens <= 0) return Promise.resolve();
    return this.counter(this.tokenCounters, 'tpm', caller.name, perMinute).penalty(caller.name, tokens).then(noop);
  }

  inFlightOf(callerName: string): number {
    return this.inFlight.get(callerName) ?? 0;
  }

  private takeSlot(caller: Caller): () => void {
    const max = caller.limits?.concurrent;
    const now = this.inFlight.get(caller.name) ?? 0;
    if (max !== undefined && now >= max) {
      throw new CallerLimitError(
        `caller "${caller.name}" has ${now} requests in flight, its limit (limits.concurrent in the callers file); retry when one has ended.`,
        'concurrent',
        1,
      );
    }
    this.inFlight.set(caller.name, now + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.inFlight.get(caller.name) ?? 1) - 1;
      if (left > 0) this.inFlight.set(caller.name, left);
      else this.inFlight.delete(caller.name);
    };
  }

  /**
   * The caller's slot among every replica's: refused like a local one when all are held; the store being
   * away leaves the local count alone in charge.
   */
  private async takeSharedSlot(caller: Caller, max: number, releaseLocal: () => void): Promise<() => void> {
    if (!this.shared?.healthy()) return releaseLocal;
    let lease: SharedLease | undefined;
    try {
      lease = await this.shared.leases.tryAcquire(`caller:${caller.name}`, max);
    } catch {
      return releaseLocal;
    }
    if (!lease) {
      throw new CallerLimitError(
        `caller "${caller.name}" has ${max} requests in flight across the gateway's replicas, its limit (limits.concurrent in the callers file); retry when one has ended.`,
        'concurrent',
        1,
      );
    }
    const held = lease;
    return () => {
      releaseLocal();
      held.release().catch(() => undefined);
    };
  }

  /** One counter per caller and limit value: a reload that changes a limit starts that limit afresh. */
  private counter(counters: Map<string, RateLimiterAbstract>, kind: string, name: string, points: number): RateLimiterAbstract {
    const id = `${name}\n${points}`;
    let counter = counters.get(id);
    if (!counter) counters.set(id, (counter = this.makeLimiter({ keyPrefix: `mana-llm:${kind}:${points}`, points, duration: WINDOW_SECONDS })));
    return counter;
  }
}

function seconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}

function noop(): void {}
