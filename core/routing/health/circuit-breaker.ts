import { CLEAN, failed, halfOpened, isClean, keptOutUntil, succeeded, tripped, type CircuitPolicy, type CircuitRecord } from './circuit-record.ts';

export type CircuitState = CircuitRecord['state'];

/** One verdict as a function of a record: applied to the local record, and replayed on a shared one. */
export type CircuitChange = (record: CircuitRecord) => CircuitRecord;

/** The verdict that changes nothing (a success on a clean circuit). */
export const UNCHANGED: CircuitChange = (record) => record;

/** What a caller may do now: go ahead, go ahead as the single half-open trial, or stay away. */
export type Admission = 'pass' | 'trial' | 'reject';

export interface CircuitOptions {
  /** Consecutive failures that open the circuit. */
  threshold: number;
  backoffMs: number;
  /** The longest a provider's own `Retry-After` may keep it out. */
  maxRetryAfterMs?: number;
  now?: () => number;
}

export interface CircuitSnapshot {
  state: CircuitState;
  healthy: boolean;
  consecutiveFailures: number;
  lastError: string | null;
  /** Epoch ms until which the provider is kept out, or null. */
  unhealthyUntil: number | null;
}

/**
 * One provider's circuit. Closed: every call passes. After `threshold` consecutive failures it opens for
 * `backoffMs`; once that passes it is half-open and admits exactly one trial (a request or a probe) while
 * every other caller is rejected, so a recovering upstream is not stampeded. The trial's success closes
 * the circuit; its failure opens it again. A 429 with Retry-After keeps the provider out at least that
 * long, and a passing probe cannot cut that window short. Time comes from `now`, so tests use a fake clock.
 * The state is a plain record (circuit-record.ts) that a shared store can hand in (`adopt`).
 */
export class CircuitBreaker {
  private current: CircuitRecord = CLEAN;
  private trialInFlight = false;
  private readonly now: () => number;
  private readonly policy: CircuitPolicy;

  constructor(options: CircuitOptions) {
    this.now = options.now ?? Date.now;
    this.policy = { threshold: options.threshold, backoffMs: options.backoffMs, maxRetryAfterMs: options.maxRetryAfterMs ?? 3_600_000 };
  }

  get record(): CircuitRecord {
    return this.current;
  }

  /** What `admit` would answer now, without claiming the trial: for a view of the gateway, never for a call. */
  peek(): Admission {
    if (this.current.state === 'closed') return 'pass';
    if (this.now() < keptOutUntil(this.current) || this.trialInFlight) return 'reject';
    return 'trial';
  }

  /** What a call may do now; `trial` claims the half-open trial for it. */
  admit(): Admission {
    const admission = this.peek();
    if (admission === 'trial') {
      this.current = halfOpened(this.current);
      this.trialInFlight = true;
    }
    return admission;
  }

  /** A call or probe succeeded (or was answered in a way that proves the provider serves). */
  succeed(): CircuitChange {
    // Nearly every request: a clean circuit stays as it is, with nothing allocated and nothing to share.
    if (!this.trialInFlight && isClean(this.current)) return UNCHANGED;
    return this.apply(this.change((record, now) => succeeded(record, now)));
  }

  /** A retryable failure. `retryAfterMs` comes from a provider's 429 and keeps it out that long. */
  fail(reason: string, retryAfterMs?: number): CircuitChange {
    return this.apply(this.change((record, now, policy) => failed(record, reason, now, policy, retryAfterMs)));
  }

  /** Opens the circuit now, whatever the count (a provider whose very first check failed). */
  trip(reason: string): CircuitChange {
    return this.apply(this.change((record, now, policy) => tripped(record, reason, now, policy)));
  }

  /** Gives back a trial that ended without a verdict (the caller went away, or a caller's error said nothing of the provider). */
  release(): void {
    this.trialInFlight = false;
  }

  /** Takes the record another replica stored (it is newer than ours). A trial this replica runs stays its own. */
  adopt(record: CircuitRecord): void {
    this.current = record;
    if (record.state === 'closed') this.trialInFlight = false;
  }

  /** A verdict ends any trial, and its change is handed back so a shared store can apply the same one. */
  private apply(change: CircuitChange): CircuitChange {
    this.trialInFlight = false;
    this.current = change(this.current);
    return change;
  }

  /** A transition of circuit-record.ts with this breaker's policy and the time of the verdict bound in. */
  private change(transition: (record: CircuitRecord, now: number, policy: CircuitPolicy) => CircuitRecord): CircuitChange {
    const now = this.now();
    return (record) => transition(record, now, this.policy);
  }

  snapshot(): CircuitSnapshot {
    const { state, failures, lastError } = this.current;
    const until = keptOutUntil(this.current);
    return {
      state,
      healthy: state === 'closed',
      consecutiveFailures: failures,
      lastError,
      unhealthyUntil: state === 'closed' || until === 0 ? null : until,
    };
  }
}
