import { DEFAULT_CALLER, type Caller } from '../callers/caller.ts';
import type { AttemptRecord, Operation } from '../contracts/events.ts';
import type { CapabilityLookup } from '../contracts/provider.ts';
import { ClientClosedError } from '../errors/client-closed-error.ts';
import { GatewayTimeoutError } from '../errors/gateway-timeout-error.ts';
import type { RequestOutcome } from './request-outcome.ts';

/** Something that may be aborted once, with a reason, and says so to its listeners (a RequestScope). */
export interface AbortSource {
  readonly aborted: boolean;
  readonly reason: Error | undefined;
  /** Calls `listener` once on abort (at once if already aborted); the returned function unlinks it. */
  onAbort(listener: (reason: Error) => void): () => void;
}

/**
 * The life of one request across its chain: its id, its overall deadline (`REQUEST_TIMEOUT`), what
 * happened to each chain entry, what the router learned (`outcome`), and one abort that fires when the
 * caller goes away or the deadline passes — every attempt of the request hangs off it (`onAbort`).
 *
 * An AbortController costs an EventTarget and its listener bookkeeping on every request, so the scope keeps
 * its aborted state itself and makes a real AbortSignal only when something reads `signal` (a capability
 * lookup that asks its upstream, an image fetch): the scope is itself the lookup context providers get.
 */
export class RequestScope implements AbortSource, CapabilityLookup {
  readonly attempts: AttemptRecord[] = [];
  /** What the attempts do upstream (their `attempt.start` says it). */
  operation: Operation = 'chat';
  /** Attempts begun so far, numbering them in their events. */
  attemptsBegun = 0;
  readonly deadline: number;
  private abortReason: Error | undefined;
  private controller: AbortController | undefined;
  private listeners: Array<(reason: Error) => void> | undefined;
  private finishers: Array<() => void> | undefined;
  private readonly deadlineTimer: NodeJS.Timeout;

  constructor(
    readonly requestId: string,
    readonly timeoutMs: number,
    /** Filled in by the router (which entry answered, first token, usage) and by the route. */
    readonly outcome: RequestOutcome = {},
    /** `performance.now()` when the request arrived. */
    readonly startedAt: number = performance.now(),
    /** Who asked: the router reads its priority (a capped provider's queue) and whether it is local-only. */
    readonly caller: Caller = DEFAULT_CALLER,
  ) {
    this.deadline = Date.now() + timeoutMs;
    this.deadlineTimer = setTimeout(() => this.abort(new GatewayTimeoutError(timeoutMs / 1000, { attempts: this.attempts })), timeoutMs);
    this.deadlineTimer.unref();
  }

  get aborted(): boolean {
    return this.abortReason !== undefined;
  }

  /** Why the request was aborted (a ClientClosedError or a GatewayTimeoutError), once it was. */
  get reason(): Error | undefined {
    return this.abortReason;
  }

  /** An AbortSignal that follows the scope, for APIs that take one. */
  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.abortReason) this.controller.abort(this.abortReason);
    }
    return this.controller.signal;
  }

  get clientClosed(): boolean {
    return this.abortReason instanceof ClientClosedError;
  }

  /** Calls `listener` once when the scope aborts (at once if it already has); the returned function unlinks it. */
  onAbort(listener: (reason: Error) => void): () => void {
    if (this.abortReason) {
      listener(this.abortReason);
      return () => undefined;
    }
    (this.listeners ??= []).push(listener);
    return () => {
      const at = this.listeners?.indexOf(listener) ?? -1;
      if (at >= 0) this.listeners!.splice(at, 1);
    };
  }

  remainingMs(): number {
    return Math.max(0, this.deadline - Date.now());
  }

  abort(reason: Error): void {
    if (this.abortReason) return;
    this.abortReason = reason;
    this.controller?.abort(reason);
    const listeners = this.listeners;
    this.listeners = undefined;
    if (listeners) for (const listener of listeners) listener(reason);
  }

  clientClose(): void {
    this.abort(new ClientClosedError());
  }

  /** Calls `finisher` once when the request is over (`finish`); the returned function unlinks it. */
  onFinish(finisher: () => void): () => void {
    (this.finishers ??= []).push(finisher);
    return () => {
      const at = this.finishers?.indexOf(finisher) ?? -1;
      if (at >= 0) this.finishers!.splice(at, 1);
    };
  }

  /** The request is over: its deadline stops, and whatever still hangs off it (an attempt never consumed) is released. */
  finish(): void {
    clearTimeout(this.deadlineTimer);
    const finishers = this.finishers;
    this.finishers = undefined;
    if (finishers) for (const finisher of finishers) finisher();
  }
}
