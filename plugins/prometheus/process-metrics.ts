// Node's process metrics (CPU, memory, event-loop lag, GC), prefixed `mana_llm_`. They describe the
// process, not one gateway, so they live in one registry per process that every instance of the plugin
// exposes: prom-client's collectors install a GC PerformanceObserver and an event-loop histogram that
// are never removed, and a fresh set per gateway would pile up in a test process that starts dozens.

import { Registry, collectDefaultMetrics } from 'prom-client';
import { PREFIX } from './metrics.ts';

let shared: Registry | undefined;

export function processMetrics(): Registry {
  if (!shared) {
    shared = new Registry();
    // A 100 ms event-loop sampling (default 10 ms) keeps the monitor's idle CPU negligible.
    collectDefaultMetrics({ register: shared, prefix: PREFIX, eventLoopMonitoringPrecision: 100 });
  }
  return shared;
}
