import type { ProviderCall, Provider } from '../contracts/provider.ts';
import type { ProviderTimeouts } from '../plugin/registry.ts';
import type { ChainEntry } from './model-resolver.ts';
import type { RequestScope } from './request-scope.ts';

/**
 * One try of one chain entry. Its abort signal fires when the request's does (client gone, deadline) or
 * when one of the attempt's own timers does; the reason is always a typed error, so whatever the provider
 * throws after an abort already says why.
 */
export class Attempt {
  readonly call: ProviderCall;
  /** Its number in `attempt.*` events, while its end is still to be reported; 0 when nobody listens. */
  reporting = 0;
  private readonly controller = new AbortController();
  private readonly unlink: () => void;
  private readonly unlinkFinish: () => void;
  private timer: NodeJS.Timeout | undefined;
  /** The `within` wait under way: told at once when the attempt aborts (no EventTarget listener needed). */
  private waiter: ((reason: Error) => void) | undefined;
  readonly startedAt = Date.now();
  private disposed = false;

  constructor(
    readonly entry: ChainEntry,
    readonly provider: Provider,
    readonly timeouts: ProviderTimeouts,
    readonly scope: RequestScope,
    /** Gives the provider's concurrency slot back; called once, when the attempt is over. */
    private readonly releaseSlot: () => void = () => undefined,
  ) {
    this.unlink = scope.onAbort((reason) => this.abort(reason));
    // A backstop: an attempt never outlives its request. A committed stream that its consumer never
    // started cannot run its own cleanup, so the request's end aborts the upstream call and frees the slot.
    this.unlinkFinish = scope.onFinish(() => {
      this.abort(new Error('the request is over'));
      this.dispose();
    });
    this.call = { model: entry.model, resolved: entry.resolved, signal: this.controller.signal };
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  abort(reason: Error): void {
    if (this.controller.signal.aborted) return;
    this.controller.abort(reason);
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.(reason);
  }

  /** Milliseconds this attempt may still run: its own limit and the request's deadline, whichever is nearer. */
  remainingMs(): number {
    const own = this.timeouts.attemptMs === undefined ? Infinity : this.timeouts.attemptMs - (Date.now() - this.startedAt);
    return Math.max(0, Math.min(own, this.scope.remainingMs()));
  }

  /**
   * Waits for `promise` at most `ms`; past that, aborts the attempt with `timeout()` and rejects with it.
   * An abort from elsewhere (client gone, deadline) rejects at once with that reason, even when the
   * provider does not notice its signal.
   */
  within<T>(promise: Promise<T>, ms: number, timeout: () => Error): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const signal = this.controller.signal;
      if (signal.aborted) {
        promise.catch(() => undefined);
        reject(signal.reason);
        return;
      }
      if (this.waiter) throw new Error('Attempt.within: one wait at a time');
      this.waiter = (reason) => {
        clearTimeout(this.timer);
        reject(reason);
      };
      this.timer = setTimeout(() => this.abort(timeout()), Math.max(0, ms));
      promise.then(
        (value) => {
          clearTimeout(this.timer);
          this.waiter = undefined;
          if (signal.aborted) reject(signal.reason);
          else resolve(value);
        },
        (err) => {
          clearTimeout(this.timer);
          this.waiter = undefined;
          reject(signal.aborted ? signal.reason : err);
        },
      );
    });
  }

  /** The attempt is over (answered, failed, or its stream ended): its timer, links and slot are freed, once, however many ways its end is noticed. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    clearTimeout(this.timer);
    this.unlink();
    this.unlinkFinish();
    this.releaseSlot();
  }
}
