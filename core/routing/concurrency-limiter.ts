import type { Priority } from '../callers/caller.ts';
import { CapacityExceededError } from '../errors/capacity-exceeded-error.ts';
import type { LeaseGate } from './lease-gate.ts';
import type { AbortSource } from './request-scope.ts';

interface Waiter {
  grant: () => void;
  refuse: (reason: Error) => void;
}

const CLASSES: readonly Priority[] = ['high', 'normal', 'low'];

/**
 * Caps the upstream requests in flight to one provider, with a bounded queue behind the cap, so a burst
 * cannot open unbounded sockets to the GPU box. The queue is served by the caller's priority — `high`
 * before `normal` before `low`, first come first served within a class — and when it is full, a newcomer
 * takes the place of the latest waiter of a lower class (which is refused as over capacity, so its chain
 * falls through) rather than being refused itself.
 *
 * `acquire` resolves with a release function (call it exactly once when the upstream call is over),
 * waits in the queue while slots are busy, and rejects at once when the queue is full or when the
 * request is aborted while waiting.
 */
export class ConcurrencyLimiter {
  private active = 0;
  private waitingCount = 0;
  private readonly waiting: Record<Priority, Waiter[]> = { high: [], normal: [], low: [] };
  private gate: LeaseGate | undefined;

  constructor(
    readonly provider: string,
    readonly maxConcurrent: number,
    readonly maxQueue: number,
  ) {}

  get inFlight(): number {
    return this.active;
  }

  get queued(): number {
    return this.waitingCount;
  }

  /** Replicas share state: each slot granted here also needs one of the provider's slots counted across them. */
  share(gate: LeaseGate): void {
    this.gate = gate;
  }

  acquire(request: AbortSource, priority: Priority = 'normal'): Promise<() => void> {
    const local = this.acquireLocal(request, priority);
    const gate = this.gate;
    return gate ? local.then((release) => gate.hold(request, release)) : local;
  }

  private acquireLocal(request: AbortSource, priority: Priority): Promise<() => void> {
    if (request.aborted) return Promise.reject(request.reason);
    if (this.active < this.maxConcurrent) {
      this.active += 1;
      return Promise.resolve(this.releaser());
    }
    if (this.waitingCount >= this.maxQueue && !this.evictBelow(priority)) return Promise.reject(new CapacityExceededError(this.provider));
    return new Promise((resolve, reject) => {
      const queue = this.waiting[priority];
      const unlinkAbort = request.onAbort((reason) => {
        this.remove(queue, waiter);
        reject(reason);
      });
      const waiter: Waiter = {
        grant: () => {
          unlinkAbort();
          resolve(this.releaser());
        },
        refuse: (reason) => {
          unlinkAbort();
          reject(reason);
        },
      };
      queue.push(waiter);
      this.waitingCount += 1;
    });
  }

  /** Makes room for a request of `priority` by refusing the latest waiter of the lowest class below it. */
  private evictBelow(priority: Priority): boolean {
    for (let index = CLASSES.length - 1; CLASSES[index] !== priority; index--) {
      const evicted = this.waiting[CLASSES[index]!].pop();
      if (evicted) {
        this.waitingCount -= 1;
        evicted.refuse(new CapacityExceededError(this.provider));
        return true;
      }
    }
    return false;
  }

  private remove(queue: Waiter[], waiter: Waiter): void {
    const index = queue.indexOf(waiter);
    if (index === -1) return;
    queue.splice(index, 1);
    this.waitingCount -= 1;
  }

  private next(): Waiter | undefined {
    for (const priority of CLASSES) {
      const waiter = this.waiting[priority].shift();
      if (waiter) {
        this.waitingCount -= 1;
        return waiter;
      }
    }
    return undefined;
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.next();
      // The slot passes straight to the next in line; `active` stays the same.
      if (next) next.grant();
      else this.active -= 1;
    };
  }
}
