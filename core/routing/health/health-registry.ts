import type { EventBus } from '../../contracts/events.ts';
import type { SharedState } from '../../contracts/shared-state.ts';
import type { Logger } from '../../log/logger.ts';
import { CircuitBreaker, UNCHANGED, type Admission, type CircuitChange, type CircuitSnapshot } from './circuit-breaker.ts';
import type { CircuitRecord } from './circuit-record.ts';
import { CircuitSync } from './circuit-sync.ts';

export interface ProviderHealth extends CircuitSnapshot {
  name: string;
  configured: boolean;
  lastProbeAt: number | null;
}

export interface HealthOptions {
  threshold: number;
  backoffMs: number;
  now?: () => number;
}

/**
 * The health of every provider the profile names: one circuit per configured provider, fed by requests
 * and probes alike. Every healthy ↔ unhealthy transition is announced as a `provider.health` event; this
 * module knows nothing of metrics or logs.
 */
export class HealthRegistry {
  private readonly circuits = new Map<string, CircuitBreaker>();
  private readonly probedAt = new Map<string, number>();
  private sync: CircuitSync | undefined;

  constructor(
    configured: string[],
    private readonly unconfigured: string[],
    private readonly events: EventBus,
    private readonly options: HealthOptions,
  ) {
    for (const name of configured) {
      this.circuits.set(name, new CircuitBreaker({ threshold: options.threshold, backoffMs: options.backoffMs, now: options.now }));
    }
  }

  /**
   * Replicas share circuits from here on: verdicts are replayed on the shared records, and theirs adopted.
   * Resolves once the shared records are joined (or the store failed to answer: local state holds).
   */
  share(shared: SharedState, log: Logger): Promise<void> {
    this.sync = new CircuitSync(shared, {
      circuit: (provider) => this.circuits.get(provider),
      providers: () => [...this.circuits.keys()],
      adopt: (provider, record, force) => this.adopt(provider, record, force),
    }, log);
    return shared.healthy() ? this.sync.rejoin() : Promise.resolve();
  }

  /**
   * Whether a call may go to the provider now. Synchronous except for a half-open trial with shared
   * state, which must first be claimed from the other replicas.
   */
  admit(provider: string): Admission | Promise<Admission> {
    const circuit = this.circuits.get(provider);
    if (!circuit) return 'reject';
    const admission = circuit.admit();
    if (admission !== 'trial' || !this.sync) return admission;
    return this.sync.claimTrial(provider, circuit);
  }

  /** What `admit` would answer now, claiming nothing (a provider the profile lacks is rejected). */
  peek(provider: string): Admission {
    return this.circuits.get(provider)?.peek() ?? 'reject';
  }

  succeed(provider: string): void {
    this.transition(provider, (c) => c.succeed());
  }

  fail(provider: string, reason: string, retryAfterMs?: number): void {
    this.transition(provider, (c) => c.fail(reason, retryAfterMs));
  }

  release(provider: string): void {
    this.circuits.get(provider)?.release();
    this.sync?.endTrial(provider);
  }

  /**
   * A probe's verdict. The first one decides at once: a provider never seen healthy whose first probe fails
   * is out (its circuit opens without waiting for the threshold), so a fresh start does not claim health
   * it has not seen.
   */
  probed(provider: string, ok: boolean, reason?: string): void {
    const first = !this.probedAt.has(provider);
    this.probedAt.set(provider, (this.options.now ?? Date.now)());
    if (ok) this.succeed(provider);
    else if (first) this.transition(provider, (c) => c.trip(reason ?? 'probe_failed'));
    else this.fail(provider, reason ?? 'probe_failed');
  }

  isHealthy(provider: string): boolean {
    return this.circuits.get(provider)?.snapshot().healthy ?? false;
  }

  /** Every provider of the profile, configured ones first in profile order, then the unconfigured. */
  all(): ProviderHealth[] {
    const out: ProviderHealth[] = [];
    for (const [name, circuit] of this.circuits) {
      out.push({ name, configured: true, lastProbeAt: this.probedAt.get(name) ?? null, ...circuit.snapshot() });
    }
    for (const name of this.unconfigured) {
      out.push({
        name,
        configured: false,
        state: 'open',
        healthy: false,
        consecutiveFailures: 0,
        lastError: 'unconfigured',
        unhealthyUntil: null,
        lastProbeAt: null,
      });
    }
    return out;
  }

  private transition(provider: string, verdict: (circuit: CircuitBreaker) => CircuitChange): void {
    const circuit = this.circuits.get(provider);
    if (!circuit) return;
    const before = circuit.record;
    const change = verdict(circuit);
    if (change === UNCHANGED) return;
    this.sync?.push(provider, before, circuit.record, change);
    this.announce(provider, before, circuit);
  }

  private adopt(provider: string, record: CircuitRecord, force = false): void {
    const circuit = this.circuits.get(provider);
    if (!circuit || (!force && record.version <= circuit.record.version)) return;
    const before = circuit.record;
    circuit.adopt(record);
    this.announce(provider, before, circuit);
  }

  /** Every healthy ↔ unhealthy or state change is a `provider.health` event, whoever made it. */
  private announce(provider: string, before: CircuitRecord, circuit: CircuitBreaker): void {
    const after = circuit.snapshot();
    if ((before.state === 'closed') !== after.healthy || before.state !== after.state) {
      this.events.emit('provider.health', {
        provider,
        healthy: after.healthy,
        state: after.state,
        consecutiveFailures: after.consecutiveFailures,
        lastError: after.lastError,
      });
    }
  }
}
