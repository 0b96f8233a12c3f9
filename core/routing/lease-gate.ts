import type { SharedLease, SharedState } from '../contracts/shared-state.ts';
import type { AbortSource } from './request-scope.ts';

/** How often a waiter asks again when no replica has said it freed a slot (a lost message costs this much). */
const POLL_MS = 250;

/**
 * The second gate in front of a capped provider when replicas share state: after the replica's own
 * limiter granted a slot (its queue, its priority order), a lease on one of the provider's slots counted
 * across every replica. A request waits for one — woken when any replica gives one back — while the
 * store answers; when the store is away it goes ahead on the local slot alone (the full cap as a local
 * cap). Only the caller's abort or deadline ends the wait, as in the local queue.
 */
export class LeaseGate {
  constructor(
    private readonly shared: SharedState,
    private readonly key: string,
    private readonly limit: number,
  ) {}

  /** Holds a shared lease beside the local slot; the returned function gives back both, once. */
  async hold(request: AbortSource, releaseLocal: () => void): Promise<() => void> {
    let lease: SharedLease | undefined;
    try {
      lease = await this.waitForLease(request);
    } catch (reason) {
      releaseLocal();
      throw reason;
    }
    if (!lease) return releaseLocal;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      releaseLocal();
      lease.release().catch(() => undefined);
    };
  }

  private async waitForLease(request: AbortSource): Promise<SharedLease | undefined> {
    for (;;) {
      if (!this.shared.healthy()) return undefined;
      let lease: SharedLease | undefined;
      try {
        lease = await this.shared.leases.tryAcquire(this.key, this.limit);
      } catch {
        return undefined;
      }
      if (request.aborted) {
        lease?.release().catch(() => undefined);
        throw request.reason;
      }
      if (lease) return lease;
      await this.freedOrPolled(request);
    }
  }

  private freedOrPolled(request: AbortSource): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const done = (): void => {
        clearTimeout(timer);
        unsubscribe();
        unlinkAbort();
      };
      const timer = setTimeout(() => {
        done();
        resolve();
      }, POLL_MS);
      const unsubscribe = this.shared.leases.onFreed(this.key, () => {
        done();
        resolve();
      });
      const unlinkAbort = request.onAbort((reason) => {
        done();
        reject(reason);
      });
    });
  }
}
