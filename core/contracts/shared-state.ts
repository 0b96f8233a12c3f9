import type { RateLimiterAbstract } from 'rate-limiter-flexible';

/**
 * One provider's circuit as replicas share it: plain data, so a store can keep it and every replica
 * reads the same thing. `version` rises with every stored change; a replica adopts a record only when
 * it is newer than the one it holds.
 */
export interface CircuitRecord {
  state: 'closed' | 'open' | 'half_open';
  /** Consecutive retryable failures, counted across replicas. */
  failures: number;
  /** Epoch ms until which the circuit stays open after its last failure; 0 when closed. */
  openUntil: number;
  /** Epoch ms until which a provider's own `Retry-After` keeps it out; 0 when none. */
  rateLimitedUntil: number;
  lastError: string | null;
  version: number;
}

/** A held slot (a capped provider's, a caller's, or the half-open trial), kept alive until released. */
export interface SharedLease {
  release(): Promise<void>;
}

/** Circuits and `Retry-After` holds, shared by every replica. */
export interface SharedCircuits {
  /**
   * Applies `change` to the provider's stored record (a closed, clean one when there is none) atomically
   * — replicas changing it at once each see the other's result — tells every replica, and resolves with
   * the record as stored.
   */
  update(provider: string, change: (current: CircuitRecord) => CircuitRecord): Promise<CircuitRecord>;
  /** The stored records of these providers; a provider with none is left out. */
  read(providers: readonly string[]): Promise<Map<string, CircuitRecord>>;
  /** Called with every record a replica (this one included) stored. */
  onChange(listener: (provider: string, record: CircuitRecord) => void): void;
}

/** Slots counted across replicas, as leases that lapse a few seconds after a dead holder's last refresh. */
export interface SharedLeases {
  /** One of `limit` slots of `key`, or undefined when every one is held. */
  tryAcquire(key: string, limit: number): Promise<SharedLease | undefined>;
  /** Calls `listener` when a replica gives a slot of `key` back; returns the unsubscribe. */
  onFreed(key: string, listener: () => void): () => void;
}

/**
 * Everything replicas that share one store count together (plugin kind `shared-state`). The core keeps
 * its own state beside it and falls back to that whenever `healthy()` is false or a call rejects, so an
 * implementation may reject when its store is down — after a short timeout of its own, never hanging.
 */
export interface SharedState {
  readonly name: string;
  circuits: SharedCircuits;
  leases: SharedLeases;
  /** Makes one caller-limit counter in the shared store (with a local insurance counter for outages). */
  rateLimiter(options: { keyPrefix: string; points: number; duration: number }): RateLimiterAbstract;
  /** `false` while the store is unreachable: the replica runs on local state. */
  healthy(): boolean;
  /** Calls `listener` each time the store is reachable again after an outage (the replica rejoins). */
  onRejoin(listener: () => void): void;
}
