// The CONTRACT's metrics (names and labels are part of the contract), in a registry of their own: the
// global prom-client registry would make two gateways in one process (tests) collide on every name.

import { Counter, Gauge, Histogram, Registry } from 'prom-client';

export const PREFIX = 'mana_llm_';

export interface Metrics {
  registry: Registry;
  requests: Counter<'provider' | 'model'>;
  aliasResolved: Counter<'alias' | 'target'>;
  fallbacks: Counter<'from_model' | 'to_model' | 'reason'>;
  providerHealthy: Gauge<'provider'>;
  duration: Histogram<'provider' | 'model' | 'status'>;
  timeToFirstToken: Histogram<'provider' | 'model'>;
  tokens: Counter<'provider' | 'model' | 'type'>;
  cacheRequests: Counter<'result'>;
  inFlight: Gauge;
  upstreamErrors: Counter<'provider' | 'error'>;
}

export function createMetrics(buckets: { duration: number[]; ttft: number[] }): Metrics {
  const registry = new Registry();
  const registers = [registry];
  return {
    registry,
    requests: new Counter({
      name: `${PREFIX}llm_requests_total`,
      help: 'Model requests by the requested model (aliases under provider "alias"; unprefixed names under the provider that serves them).',
      labelNames: ['provider', 'model'],
      registers,
    }),
    aliasResolved: new Counter({
      name: `${PREFIX}alias_resolved_total`,
      help: 'Alias requests by the chain entry that answered ("none" when none did).',
      labelNames: ['alias', 'target'],
      registers,
    }),
    fallbacks: new Counter({
      name: `${PREFIX}fallback_total`,
      help: 'Chain entries skipped or failed, by the entry, the next one tried ("none" at the end of the chain) and the reason.',
      labelNames: ['from_model', 'to_model', 'reason'],
      registers,
    }),
    providerHealthy: new Gauge({
      name: `${PREFIX}provider_healthy`,
      help: 'Whether the provider is healthy (its circuit closed): 1 or 0; unconfigured providers are 0.',
      labelNames: ['provider'],
      registers,
    }),
    duration: new Histogram({
      name: `${PREFIX}request_duration_seconds`,
      help: 'Model request duration by the model that answered (else the requested one) and HTTP status (499: the client went away).',
      labelNames: ['provider', 'model', 'status'],
      buckets: buckets.duration,
      registers,
    }),
    timeToFirstToken: new Histogram({
      name: `${PREFIX}time_to_first_token_seconds`,
      help: 'Streams only: from the request arriving to its first chunk written, by the model that answered.',
      labelNames: ['provider', 'model'],
      buckets: buckets.ttft,
      registers,
    }),
    tokens: new Counter({
      name: `${PREFIX}tokens_total`,
      help: 'Tokens the providers reported, by the model that answered and type (prompt / completion).',
      labelNames: ['provider', 'model', 'type'],
      registers,
    }),
    cacheRequests: new Counter({
      name: `${PREFIX}cache_requests_total`,
      help: 'Response cache lookups by result (hit / miss / bypass / error).',
      labelNames: ['result'],
      registers,
    }),
    inFlight: new Gauge({
      name: `${PREFIX}requests_in_flight`,
      help: 'Model requests being served now, cancelled streams included until they end.',
      registers,
    }),
    upstreamErrors: new Counter({
      name: `${PREFIX}upstream_errors_total`,
      help: 'Retryable provider failures (the ones that count against its health), by provider and error word.',
      labelNames: ['provider', 'error'],
      registers,
    }),
  };
}
