// How late the event loop runs, as the gateway's own metrics: with thousands of streams open, a loop that
// falls behind delays every chunk of every stream, so this is the first number to read under load.
// perf_hooks' monitor records the whole interval between its timer's runs, sampling interval included;
// prom-client's own `nodejs_eventloop_lag_p99_seconds` passes that on (about 0.1 s at its 100 ms sampling
// even on an idle loop), so these gauges subtract the interval and report the delay itself.

import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { Gauge, Registry } from 'prom-client';
import { PREFIX } from './metrics.ts';

/** Sampling interval: one native timer every 10 ms costs no JavaScript and no measurable CPU. */
const RESOLUTION_MS = 10;

let shared: Registry | undefined;

/**
 * One registry per process (the monitor is the process's, and a test process starts many gateways):
 * the p50, p99 and max of the event-loop delay since the previous scrape, which starts a new window.
 */
export function eventLoopDelayMetrics(): Registry {
  if (shared) return shared;
  const registry = new Registry();
  const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  histogram.enable();
  // prom-client collects the families in the order they were registered, so the first one reads the
  // window for all three, and then starts the next. (After a reset the monitor's first interval only
  // sets its starting point, so a stall that begins at the very moment of a scrape is not seen.)
  let p99: Gauge | undefined;
  let max: Gauge | undefined;
  gauge(registry, 'p50', 'Median event-loop delay since the previous scrape, seconds (the sampling interval taken off).', (p50) => {
    p50.set(delaySeconds(histogram, 50));
    p99?.set(delaySeconds(histogram, 99));
    max?.set(histogram.count === 0 ? 0 : Math.max(0, histogram.max / 1e9 - RESOLUTION_MS / 1000));
    histogram.reset();
  });
  p99 = gauge(registry, 'p99', '99th percentile of the event-loop delay since the previous scrape, seconds (the sampling interval taken off).');
  max = gauge(registry, 'max', 'Longest event-loop delay since the previous scrape, seconds (the sampling interval taken off).');
  shared = registry;
  return registry;
}

function gauge(registry: Registry, stat: string, help: string, collect?: (g: Gauge) => void): Gauge {
  return new Gauge({
    name: `${PREFIX}event_loop_delay_${stat}_seconds`,
    help,
    registers: [registry],
    ...(collect ? { collect(this: Gauge) { collect(this); } } : {}),
  });
}

function delaySeconds(histogram: IntervalHistogram, percentile: number): number {
  if (histogram.count === 0) return 0;
  return Math.max(0, histogram.percentile(percentile) / 1e9 - RESOLUTION_MS / 1000);
}
