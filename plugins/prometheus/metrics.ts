// The CONTRACT's metrics (names and labels are part of the contract), in a registry of their own: the
// global prom-client registry would make two gateways in one process (tests) collide on every name.
// The families are this plugin's own (series.ts): updated as plain numbers, rendered by prom-client.

import { Registry } from 'prom-client';
import { CounterFamily, GaugeFamily, HistogramFamily } from './series.ts';

export const PREFIX = 'mana_llm_';

export interface Metrics {
  registry: Registry;
  /** provider, model */
  requests: CounterFamily;
  /** alias, target */
  aliasResolved: CounterFamily;
  /** from_model, to_model, reason */
  fallbacks: CounterFamily;
  /** provider */
  providerHealthy: GaugeFamily;
  /** provider, model, status */
  duration: HistogramFamily;
  /** provider, model */
  timeToFirstToken: HistogramFamily;
  /** provider, model, type */
  tokens: CounterFamily;
  /** result */
  cacheRequests: CounterFamily;
  inFlight: GaugeFamily;
  /** provider, error */
  upstreamErrors: CounterFamily;
  /** caller, status */
  callerRequests: CounterFamily;
  /** caller, model, type */
  callerTokens: CounterFamily;
  /** caller, model */
  cost: CounterFamily;
  /** caller, limit */
  callerRejected: CounterFamily;
}

export function createMetrics(buckets: { duration: number[]; ttft: number[] }): Metrics {
  const registry = new Registry();
  return {
    registry,
    requests: new CounterFamily(
      `${PREFIX}llm_requests_total`,
      'Model requests by the requested model (aliases under provider "alias"; unprefixed names under the provider that serves them).',
      ['provider', 'model'],
    ).registerIn(registry),
    aliasResolved: new CounterFamily(
      `${PREFIX}alias_resolved_total`,
      'Alias requests by the chain entry that answered ("none" when none did).',
      ['alias', 'target'],
    ).registerIn(registry),
    fallbacks: new CounterFamily(
      `${PREFIX}fallback_total`,
      'Chain entries skipped or failed, by the entry, the next one tried ("none" at the end of the chain) and the reason.',
      ['from_model', 'to_model', 'reason'],
    ).registerIn(registry),
    providerHealthy: new GaugeFamily(
      `${PREFIX}provider_healthy`,
      'Whether the provider is healthy (its circuit closed): 1 or 0; unconfigured providers are 0.',
      ['provider'],
    ).registerIn(registry),
    duration: new HistogramFamily(
      `${PREFIX}request_duration_seconds`,
      'Model request duration by the model that answered (else the requested one) and HTTP status (499: the client went away).',
      ['provider', 'model', 'status'],
      buckets.duration,
    ).registerIn(registry),
    timeToFirstToken: new HistogramFamily(
      `${PREFIX}time_to_first_token_seconds`,
      'Streams only: from the request arriving to its first chunk written, by the model that answered.',
      ['provider', 'model'],
      buckets.ttft,
    ).registerIn(registry),
    tokens: new CounterFamily(
      `${PREFIX}tokens_total`,
      'Tokens the providers reported, by the model that answered and type (prompt / completion).',
      ['provider', 'model', 'type'],
    ).registerIn(registry),
    cacheRequests: new CounterFamily(
      `${PREFIX}cache_requests_total`,
      'Response cache lookups by result (hit / miss / bypass / error).',
      ['result'],
    ).registerIn(registry),
    inFlight: new GaugeFamily(
      `${PREFIX}requests_in_flight`,
      'Model requests being served now, cancelled streams included until they end.',
    ).registerIn(registry),
    upstreamErrors: new CounterFamily(
      `${PREFIX}upstream_errors_total`,
      'Retryable provider failures (the ones that count against its health), by provider and error word.',
      ['provider', 'error'],
    ).registerIn(registry),
    callerRequests: new CounterFamily(
      `${PREFIX}caller_requests_total`,
      'Model requests by caller (its name in the callers file; "default" for API_KEYS or an open gateway) and HTTP status.',
      ['caller', 'status'],
    ).registerIn(registry),
    callerTokens: new CounterFamily(
      `${PREFIX}caller_tokens_total`,
      'Tokens the providers reported, by caller, the model that answered and type (prompt / completion); cache hits add none.',
      ['caller', 'model', 'type'],
    ).registerIn(registry),
    cost: new CounterFamily(
      `${PREFIX}cost_usd_total`,
      'What answers cost in USD by the price table, by caller and the model that answered (cache hits and local models cost 0).',
      ['caller', 'model'],
    ).registerIn(registry),
    callerRejected: new CounterFamily(
      `${PREFIX}caller_rejected_total`,
      'Requests the callers file refused before they went upstream, by caller and limit (requests_per_minute, tokens_per_minute, concurrent, budget, model).',
      ['caller', 'limit'],
    ).registerIn(registry),
  };
}
