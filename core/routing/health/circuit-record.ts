import type { CircuitRecord } from '../../contracts/shared-state.ts';

export type { CircuitRecord };

/** What the transitions need besides the record: the policy and the time. */
export interface CircuitPolicy {
  /** Consecutive failures that open the circuit. */
  threshold: number;
  backoffMs: number;
  /** The longest a provider's own `Retry-After` may keep it out. */
  maxRetryAfterMs: number;
}

// The transitions of one circuit as pure functions of (record, now): the local breaker applies them to
// its own record, and a shared store applies the very same ones to the record every replica reads.

export const CLEAN: CircuitRecord = Object.freeze({ state: 'closed', failures: 0, openUntil: 0, rateLimitedUntil: 0, lastError: null, version: 0 });

/** Nothing to remember: closed, no failure counted, no hold. A success on such a record changes nothing. */
export function isClean(record: CircuitRecord): boolean {
  return record.state === 'closed' && record.failures === 0 && record.rateLimitedUntil === 0;
}

/** The epoch ms until which the provider is kept out (its backoff or its `Retry-After`, whichever is later). */
export function keptOutUntil(record: CircuitRecord): number {
  return Math.max(record.openUntil, record.rateLimitedUntil);
}

/** A call or probe succeeded: the count resets, and the circuit closes unless a `Retry-After` still holds. */
export function succeeded(record: CircuitRecord, now: number): CircuitRecord {
  if (now < record.rateLimitedUntil) return { ...record, failures: 0, lastError: null };
  return { ...record, state: 'closed', failures: 0, openUntil: 0, rateLimitedUntil: 0, lastError: null };
}

/**
 * A retryable failure. It opens the circuit at the threshold, and at once when the circuit was not
 * closed (a failed half-open trial opens it for a full backoff). `retryAfterMs` (a 429's) keeps the
 * provider out at least that long, capped.
 */
export function failed(record: CircuitRecord, reason: string, now: number, policy: CircuitPolicy, retryAfterMs?: number): CircuitRecord {
  const failures = record.failures + 1;
  const opens = record.state !== 'closed' || failures >= policy.threshold;
  const next: CircuitRecord = { ...record, failures, lastError: reason };
  if (opens) {
    next.state = 'open';
    next.openUntil = now + policy.backoffMs;
  }
  if (retryAfterMs !== undefined && retryAfterMs > 0) {
    next.rateLimitedUntil = Math.max(record.rateLimitedUntil, now + Math.min(retryAfterMs, policy.maxRetryAfterMs));
    next.state = 'open';
  }
  return next;
}

/** Opens the circuit now, whatever the count (a provider whose very first check failed). */
export function tripped(record: CircuitRecord, reason: string, now: number, policy: CircuitPolicy): CircuitRecord {
  return { ...record, state: 'open', failures: record.failures + 1, openUntil: now + policy.backoffMs, lastError: reason };
}

/** The backoff has passed and a trial is under way. */
export function halfOpened(record: CircuitRecord): CircuitRecord {
  return record.state === 'half_open' ? record : { ...record, state: 'half_open' };
}

/**
 * Two views of one circuit joined after they could not talk (a replica rejoining the shared store): the
 * more cautious wins — open if either is, the later holds, the higher count — so what a replica learned
 * alone during an outage is not forgotten, nor what the others learned.
 */
export function merged(shared: CircuitRecord, local: CircuitRecord): CircuitRecord {
  const open = shared.state !== 'closed' || local.state !== 'closed';
  const worse = keptOutUntil(local) > keptOutUntil(shared) || local.failures > shared.failures ? local : shared;
  return {
    state: open ? 'open' : 'closed',
    failures: Math.max(shared.failures, local.failures),
    openUntil: open ? Math.max(shared.openUntil, local.openUntil) : 0,
    rateLimitedUntil: Math.max(shared.rateLimitedUntil, local.rateLimitedUntil),
    lastError: worse.lastError ?? shared.lastError ?? local.lastError,
    version: shared.version,
  };
}
