import type { Logger } from '../../log/logger.ts';
import type { SharedLease, SharedState } from '../../contracts/shared-state.ts';
import type { CircuitBreaker, CircuitChange, Admission } from './circuit-breaker.ts';
import { isClean, merged, type CircuitRecord } from './circuit-record.ts';

/** What the sync asks of the registry it serves. */
export interface CircuitHost {
  circuit(provider: string): CircuitBreaker | undefined;
  providers(): string[];
  /**
   * Takes a record from the shared store into the provider's circuit (announcing a health change) when it
   * is newer than the one held, or whatever it is with `force` (joining a store that may have restarted).
   */
  adopt(provider: string, record: CircuitRecord, force?: boolean): void;
}

const TRIAL_KEY = 'trial:';

/**
 * Keeps this replica's circuits and the shared ones in step: every verdict that changes something is
 * replayed on the shared record (so failures are counted across replicas and a circuit opened here is
 * open everywhere), records other replicas store are adopted when newer, and the half-open trial is a
 * shared lease so only one replica at a time makes it. The local circuits stay the truth whenever the
 * store is away: then nothing here waits, and at its return the two views are merged (`rejoin`).
 */
export class CircuitSync {
  private readonly trials = new Map<string, SharedLease>();

  constructor(
    private readonly shared: SharedState,
    private readonly host: CircuitHost,
    private readonly log: Logger,
  ) {
    shared.circuits.onChange((provider, record) => host.adopt(provider, record));
    shared.onRejoin(() => void this.rejoin());
  }

  /** A verdict taken here: any trial lease is given back, and the change is replayed on the shared record. */
  push(provider: string, before: CircuitRecord, after: CircuitRecord, change: CircuitChange): void {
    this.endTrial(provider);
    // A success on a clean circuit — nearly every request — changes nothing and costs no round trip.
    if (isClean(before) && isClean(after)) return;
    if (!this.shared.healthy()) return;
    this.shared.circuits.update(provider, change).then(
      (stored) => this.host.adopt(provider, stored),
      (err) => this.log.debug({ provider, err: (err as Error).message }, 'shared circuit not updated; the local one holds'),
    );
  }

  /**
   * The local circuit offered this replica the half-open trial; it is ours only if no other replica holds
   * it. The store being away leaves the local decision standing.
   */
  async claimTrial(provider: string, circuit: CircuitBreaker): Promise<Admission> {
    if (!this.shared.healthy()) return 'trial';
    let lease: SharedLease | undefined;
    try {
      lease = await this.shared.leases.tryAcquire(TRIAL_KEY + provider, 1);
    } catch {
      return 'trial';
    }
    if (!lease) {
      circuit.release();
      return 'reject';
    }
    this.endTrial(provider);
    this.trials.set(provider, lease);
    return 'trial';
  }

  /** A trial that ended without a verdict: its lease goes back so another replica may try. */
  endTrial(provider: string): void {
    const lease = this.trials.get(provider);
    if (!lease) return;
    this.trials.delete(provider);
    lease.release().catch(() => undefined);
  }

  /**
   * Joins the shared state (at start, and whenever the store is back after an outage): each circuit is
   * merged with the shared record — the more cautious view wins — and the result is taken by both.
   */
  async rejoin(): Promise<void> {
    await Promise.all(
      this.host.providers().map(async (provider) => {
        const circuit = this.host.circuit(provider);
        if (!circuit) return;
        const local = circuit.record;
        try {
          const stored = isClean(local)
            ? (await this.shared.circuits.read([provider])).get(provider)
            : await this.shared.circuits.update(provider, (current) => merged(current, local));
          // No record: the store starts afresh (it restarted empty), and so do the versions.
          this.host.adopt(provider, stored ?? { ...local, version: 0 }, true);
        } catch (err) {
          this.log.debug({ provider, err: (err as Error).message }, 'could not join the shared circuit; the local one holds');
        }
      }),
    );
  }
}
