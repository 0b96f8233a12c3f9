import { CapacityExceededError } from '../errors/capacity-exceeded-error.ts';
import type { AbortSource } from './request-scope.ts';

/**
 * Caps the upstream requests in flight to one provider, with a bounded FIFO queue behind the cap, so a
 * burst cannot open unbounded sockets to the GPU box. `acquire` resolves with a release function (call it
 * exactly once when the upstream call is over), waits in the queue while slots are busy, and rejects at
 * once when the queue is full or when the request is aborted while waiting.
 */
export class ConcurrencyLimiter {
  private active = 0;
  private readonly waiting: Array<{ grant: () => void }> = [];

  constructor(
    readonly provider: string,
    readonly maxConcurrent: number,
    readonly maxQueue: number,
  ) {}

  get inFlight(): number {
    return this.active;
  }

  get queued(): number {
    return this.waiting.length;
  }

  acquire(request: AbortSource): Promise<() => void> {
    if (request.aborted) return Promise.reject(request.reason);
    if (this.active < this.maxConcurrent) {
      this.active += 1;
      return Promise.resolve(this.releaser());
    }
    if (this.waiting.length >= this.maxQueue) return Promise.reject(new CapacityExceededError(this.provider));
    return new Promise((resolve, reject) => {
      const entry = {
        grant: () => {
          unlink();
          resolve(this.releaser());
        },
      };
      const unlink = request.onAbort((reason) => {
        const index = this.waiting.indexOf(entry);
        if (index !== -1) this.waiting.splice(index, 1);
        reject(reason);
      });
      this.waiting.push(entry);
    });
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      // The slot passes straight to the next in line; `active` stays the same.
      if (next) next.grant();
      else this.active -= 1;
    };
  }
}
