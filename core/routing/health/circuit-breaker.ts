export type CircuitState = 'closed' | 'open' | 'half_open';

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
 */
export class CircuitBreaker {
  private state: CircuitState = 'closed';
  private failures = 0;
  private openUntil = 0;
  private rateLimitedUntil = 0;
  private trialInFlight = false;
  private error: string | null = null;
  private readonly now: () => number;

  constructor(private readonly options: CircuitOptions) {
    this.now = options.now ?? Date.now;
  }

  admit(): Admission {
    if (this.state === 'closed') return 'pass';
    const now = this.now();
    if (now < Math.max(this.openUntil, this.rateLimitedUntil)) return 'reject';
    if (this.trialInFlight) return 'reject';
    this.state = 'half_open';
    this.trialInFlight = true;
    return 'trial';
  }

  /** A call or probe succeeded (or was answered in a way that proves the provider serves). */
  succeed(): void {
    this.trialInFlight = false;
    this.failures = 0;
    this.error = null;
    if (this.now() < this.rateLimitedUntil) return;
    this.state = 'closed';
    this.openUntil = 0;
  }

  /** A retryable failure. `retryAfterMs` comes from a provider's 429 and keeps it out that long. */
  fail(reason: string, retryAfterMs?: number): void {
    const now = this.now();
    const wasTrial = this.trialInFlight || this.state === 'half_open';
    this.trialInFlight = false;
    this.failures += 1;
    this.error = reason;
    if (wasTrial || this.state === 'open' || this.failures >= this.options.threshold) {
      this.state = 'open';
      this.openUntil = now + this.options.backoffMs;
    }
    if (retryAfterMs !== undefined && retryAfterMs > 0) {
      const capped = Math.min(retryAfterMs, this.options.maxRetryAfterMs ?? 3_600_000);
      this.rateLimitedUntil = Math.max(this.rateLimitedUntil, now + capped);
      this.state = 'open';
    }
  }

  /** Opens the circuit now, whatever the count (a provider whose very first check failed). */
  trip(reason: string): void {
    this.trialInFlight = false;
    this.failures += 1;
    this.error = reason;
    this.state = 'open';
    this.openUntil = this.now() + this.options.backoffMs;
  }

  /** Gives back a trial that ended without a verdict (the caller went away, or a caller's error said nothing of the provider). */
  release(): void {
    this.trialInFlight = false;
  }

  snapshot(): CircuitSnapshot {
    const until = Math.max(this.openUntil, this.rateLimitedUntil);
    return {
      state: this.state,
      healthy: this.state === 'closed',
      consecutiveFailures: this.failures,
      lastError: this.error,
      unhealthyUntil: this.state === 'closed' || until === 0 ? null : until,
    };
  }
}
