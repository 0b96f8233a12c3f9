import type { GatewayError } from '../errors/gateway-error.ts';

/** What one failed attempt means for the walk, for the provider's health, and for the operator. */
export interface Verdict {
  /** `next`: try the next chain entry; `return`: answer the caller with this error now. */
  action: 'next' | 'return';
  /**
   * `fail`: counts against the provider's circuit (and a `Retry-After` holds it out); `none`: its health is
   * left alone, failure count included (a half-open trial is only given back).
   */
  health: 'fail' | 'none';
  /** Counted as an upstream error of the provider (`mana_llm_upstream_errors_total`). */
  upstreamError: boolean;
  /** Worth a warning in the log: the operator must fix something (the provider rejects the gateway's own key). */
  warn: boolean;
}

/** Codes that say "this entry can never answer this request" rather than "this request is wrong". */
const ENTRY_CANNOT_ANSWER = new Set(['capability_unsupported', 'model_not_found', 'provider_auth_error']);

/**
 * The CONTRACT's fallback rules, as one pure function of the classified error and the kind of chain:
 * - retryable (connection, timeout, protocol, 5xx, 429): next entry, counted against the provider;
 * - inside an alias chain, an entry that cannot serve this request (the model lacks a capability, the
 *   provider does not know the model, the provider rejects its own key): next entry, health untouched;
 *   for a direct `provider/model` the same error goes back to the caller;
 * - anything else (blocked, truncated, the caller's own 4xx): back to the caller, health untouched.
 */
export function judgeFailure(error: GatewayError, inAlias: boolean): Verdict {
  const operatorProblem = error.code === 'provider_auth_error';
  if (error.retryable) return { action: 'next', health: 'fail', upstreamError: true, warn: false };
  if (inAlias && ENTRY_CANNOT_ANSWER.has(error.code)) {
    return { action: 'next', health: 'none', upstreamError: error.code !== 'capability_unsupported', warn: operatorProblem };
  }
  return { action: 'return', health: 'none', upstreamError: operatorProblem, warn: operatorProblem };
}
