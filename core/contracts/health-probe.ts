/**
 * A cheap upstream request that tells whether a provider is reachable and serving. It resolves when the
 * provider is healthy and throws one of the core's errors when it is not. The probe loop bounds it with
 * `HEALTH_PROBE_TIMEOUT` through `signal`.
 */
export type HealthProbe = (signal: AbortSignal) => Promise<void>;
