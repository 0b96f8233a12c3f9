import { RateLimiterMemory } from 'rate-limiter-flexible';
import type { CircuitRecord, SharedLease, SharedState } from '../../core/contracts/shared-state.ts';

const CLOSED: CircuitRecord = { state: 'closed', failures: 0, openUntil: 0, rateLimitedUntil: 0, lastError: null, version: 0 };

/**
 * The shared-state contract in one process, for unit tests of what the core builds on it: records with
 * versions, listeners told of every change, counted leases, and a switch that takes the store "down"
 * (every call rejects, `healthy()` is false) and brings it back (rejoin listeners are called).
 */
export class MemorySharedState implements SharedState {
  readonly name = 'memory-shared';
  readonly records = new Map<string, CircuitRecord>();
  readonly held = new Map<string, number>();
  private up = true;
  private readonly changeListeners: Array<(provider: string, record: CircuitRecord) => void> = [];
  private readonly freedListeners = new Map<string, Set<() => void>>();
  private readonly rejoinListeners: Array<() => void> = [];

  readonly circuits: SharedState['circuits'] = {
    update: async (provider, change) => {
      this.check();
      const current = this.records.get(provider) ?? CLOSED;
      const next = { ...change(current), version: current.version + 1 };
      this.records.set(provider, next);
      for (const listener of this.changeListeners) listener(provider, next);
      return next;
    },
    read: async (providers) => {
      this.check();
      return new Map(providers.flatMap((p) => (this.records.has(p) ? [[p, this.records.get(p)!] as const] : [])));
    },
    onChange: (listener) => void this.changeListeners.push(listener),
  };

  readonly leases: SharedState['leases'] = {
    tryAcquire: async (key, limit) => {
      this.check();
      const count = this.held.get(key) ?? 0;
      if (count >= limit) return undefined;
      this.held.set(key, count + 1);
      let released = false;
      const lease: SharedLease = {
        release: async () => {
          if (released) return;
          released = true;
          this.held.set(key, (this.held.get(key) ?? 1) - 1);
          for (const listener of this.freedListeners.get(key) ?? []) listener();
        },
      };
      return lease;
    },
    onFreed: (key, listener) => {
      let set = this.freedListeners.get(key);
      if (!set) this.freedListeners.set(key, (set = new Set()));
      set.add(listener);
      return () => set.delete(listener);
    },
  };

  rateLimiter(options: { keyPrefix: string; points: number; duration: number }) {
    return new RateLimiterMemory(options);
  }

  healthy(): boolean {
    return this.up;
  }

  onRejoin(listener: () => void): void {
    this.rejoinListeners.push(listener);
  }

  down(): void {
    this.up = false;
  }

  back(): void {
    this.up = true;
    for (const listener of this.rejoinListeners) listener();
  }

  private check(): void {
    if (!this.up) throw new Error('the store is down');
  }
}
