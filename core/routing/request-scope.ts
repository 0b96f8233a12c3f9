import type { AttemptRecord } from '../contracts/events.ts';
import { GatewayTimeoutError } from '../errors/gateway-timeout-error.ts';
import { ClientClosedError } from './client-closed-error.ts';

/**
 * The life of one request across its chain: its id, its overall deadline (`REQUEST_TIMEOUT`), what
 * happened to each chain entry, and one abort signal that fires when the caller goes away or the deadline
 * passes — every upstream call of the request hangs off it.
 */
export class RequestScope {
  readonly attempts: AttemptRecord[] = [];
  readonly startedAt = performance.now();
  readonly deadline: number;
  private readonly controller = new AbortController();
  private readonly deadlineTimer: NodeJS.Timeout;

  constructor(
    readonly requestId: string,
    readonly timeoutMs: number,
  ) {
    this.deadline = Date.now() + timeoutMs;
    this.deadlineTimer = setTimeout(() => this.abort(new GatewayTimeoutError(timeoutMs / 1000, { attempts: this.attempts })), timeoutMs);
    this.deadlineTimer.unref();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get clientClosed(): boolean {
    return this.controller.signal.reason instanceof ClientClosedError;
  }

  remainingMs(): number {
    return Math.max(0, this.deadline - Date.now());
  }

  abort(reason: Error): void {
    if (!this.controller.signal.aborted) this.controller.abort(reason);
  }

  clientClose(): void {
    this.abort(new ClientClosedError());
  }

  finish(): void {
    clearTimeout(this.deadlineTimer);
  }
}
