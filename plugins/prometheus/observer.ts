// Core events → metric updates. Every label value goes through label-values.ts; every learned model
// name through known-models.ts. The event bus is synchronous and isolates listener errors, so a bug here
// never fails an answer, but it still runs on the request path: keep each listener cheap.

import type { EventBus, GatewayView, RequestEndEvent } from '../../core/index.ts';
import { learnedFromAlias, learnedFromEnd, learnedFromFallback, type KnownModels } from './known-models.ts';
import {
  aliasLabel,
  cacheResultLabel,
  callerLabel,
  entryLabel,
  providerLabel,
  requestedLabels,
  servedLabels,
  statusLabel,
  wordLabel,
  type Vocabulary,
} from './label-values.ts';
import type { Metrics } from './metrics.ts';

export interface MetricsObserver {
  /** Sets the health gauge of every provider once, when the gateway can first say which they are. */
  seedHealth(): void;
  /** Unsubscribes from every event. */
  stop(): void;
}

export function observe(events: EventBus, metrics: Metrics, gateway: GatewayView, models: KnownModels): MetricsObserver {
  let providers: ReadonlySet<string> | undefined;
  // The profile's providers never change after start, but the view is empty until the gateway is assembled.
  const providerNames = (): ReadonlySet<string> => {
    if (providers) return providers;
    const names = gateway.providers().map((p) => p.name);
    if (names.length === 0) return new Set();
    return (providers = new Set(names));
  };
  // Aliases change on SIGHUP: read them again for every event that needs them.
  // The gateway hands out the same alias array until a reload, so the set is rebuilt only then.
  let aliasArray: string[] | undefined;
  let aliasSet = new Set<string>();
  const aliasNames = (): Set<string> => {
    const names = gateway.aliasNames();
    if (names !== aliasArray) {
      aliasArray = names;
      aliasSet = new Set(names);
    }
    return aliasSet;
  };
  const vocabulary = (): Vocabulary => ({ providers: providerNames(), aliases: aliasNames(), models });

  let seeded = false;
  const seedHealth = (): void => {
    if (seeded) return;
    const all = gateway.providers();
    if (all.length === 0) return;
    seeded = true;
    for (const p of all) metrics.providerHealthy.of(p.name).set(p.configured && p.healthy ? 1 : 0);
  };

  const { requests, duration, timeToFirstToken: ttft, tokens } = metrics;
  const inFlight = metrics.inFlight.of();
  const addTokens = (served: { provider: string; model: string }, type: 'prompt' | 'completion', count: number | undefined): void => {
    if (typeof count === 'number' && Number.isFinite(count) && count >= 0) tokens.of(served.provider, served.model, type).inc(count);
  };

  const onEnd = (end: RequestEndEvent): void => {
    inFlight.dec();
    const known = vocabulary();
    // Learn first: the first request a provider answers for a model already counts under its name.
    models.learn(learnedFromEnd(end, known.aliases));
    const requested = requestedLabels(end, known);
    requests.of(requested.provider, requested.model).inc();
    const served = servedLabels(end, known);
    duration.of(served.provider, served.model, statusLabel(end.status)).observe(end.durationMs / 1000);
    if (end.ttftMs !== undefined && end.provider !== undefined && end.ttftMs >= 0) {
      ttft.of(served.provider, served.model).observe(end.ttftMs / 1000);
    }
    addTokens(served, 'prompt', end.usage?.prompt_tokens);
    addTokens(served, 'completion', end.usage?.completion_tokens);
    countForCaller(end);
  };

  // Caller names come from the callers file only (a key nobody has never gets this far).
  const countForCaller = (end: RequestEndEvent): void => {
    const caller = callerLabel(end.caller);
    metrics.callerRequests.of(caller, statusLabel(end.status)).inc();
    if (end.resolved === undefined) return;
    const model = entryLabel(end.resolved, models);
    if (end.cache !== 'hit') {
      const prompt = end.usage?.prompt_tokens;
      const completion = end.usage?.completion_tokens;
      if (typeof prompt === 'number' && prompt > 0) metrics.callerTokens.of(caller, model, 'prompt').inc(prompt);
      if (typeof completion === 'number' && completion > 0) metrics.callerTokens.of(caller, model, 'completion').inc(completion);
    }
    if (end.costUsd !== undefined) metrics.cost.of(caller, model).inc(end.costUsd);
  };

  const unsubscribe = [
    events.on('request.start', () => {
      // First, so that nothing after it can leave a request.end without its matching increment.
      inFlight.inc();
      seedHealth();
    }),
    events.on('request.end', onEnd),
    events.on('alias.resolved', (event) => {
      const aliases = aliasNames();
      models.learn(learnedFromAlias(event, aliases));
      metrics.aliasResolved.of(aliasLabel(event.alias, aliases), entryLabel(event.target, models)).inc();
    }),
    events.on('fallback', (event) => {
      models.learn(learnedFromFallback(event));
      metrics.fallbacks.of(entryLabel(event.from, models), entryLabel(event.to, models), wordLabel(event.reason)).inc();
    }),
    events.on('provider.health', (event) => {
      seedHealth();
      if (providerNames().has(event.provider)) metrics.providerHealthy.of(event.provider).set(event.healthy ? 1 : 0);
    }),
    events.on('upstream.error', (event) => {
      metrics.upstreamErrors.of(providerLabel(event.provider, providerNames()), wordLabel(event.error)).inc();
    }),
    events.on('caller.rejected', (event) => {
      metrics.callerRejected.of(callerLabel(event.caller), wordLabel(event.limit)).inc();
    }),
    events.on('cache.result', (event) => {
      metrics.cacheRequests.of(cacheResultLabel(event.result)).inc();
    }),
  ];

  return {
    seedHealth,
    stop: () => unsubscribe.forEach((off) => off()),
  };
}
