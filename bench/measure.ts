import type { Call, Hop } from './hops.ts';
import { runLoad } from './load.ts';
import { cpuTimeMs, RssSampler } from './proc-stats.ts';
import { mean, percentiles, Samples } from './stats.ts';
import { streamAgent, timeStream, type StreamTiming } from './stream-timing.ts';

// One load run against one hop, with what the hop's own process spent on it (CPU from /proc/<pid>/stat,
// peak RSS sampled from /proc/<pid>/status), and the cell that pools a hop's rounds.

export interface RunFigures {
  rps: number;
  requests: number;
  elapsedS: number;
  cpuMs: number;
  peakRssBytes: number;
  errors: number;
  non2xx: number;
  /** Connections the upstream accepted during the run: a pooling hop opens them once, then reuses them. */
  upstreamConnections?: number;
}

export interface Cell {
  scenario: string;
  hop: Hop['name'];
  connections: number;
  runs: RunFigures[];
  latencies: Samples;
}

export async function measureRun(hop: Hop, target: Call, connections: number, durationS: number, cell?: Cell): Promise<RunFigures> {
  const sampler = new RssSampler(hop.pid).start();
  const cpuBefore = cpuTimeMs(hop.pid);
  const result = await runLoad({ url: target.url, body: target.body, headers: target.headers, connections, durationS });
  const cpuMs = cpuTimeMs(hop.pid) - cpuBefore;
  const figures: RunFigures = {
    rps: result.rps,
    requests: result.requests,
    elapsedS: result.elapsedS,
    cpuMs,
    peakRssBytes: sampler.stop(),
    errors: result.errors,
    non2xx: result.non2xx,
  };
  if (cell) {
    cell.runs.push(figures);
    cell.latencies.append(result.latencies);
  }
  return figures;
}

export function newCell(scenario: string, hop: Hop['name'], connections: number): Cell {
  return { scenario, hop, connections, runs: [], latencies: new Samples() };
}

export interface CellSummary {
  scenario: string;
  hop: Hop['name'];
  connections: number;
  /** Mean over rounds. */
  rps: number;
  /** Each round's throughput, in order: drift shows here. */
  roundsRps: number[];
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  /** CPU of the hop's process per answered request (for direct: the upstream's own cost). */
  cpuMsPerRequest: number;
  /** Each round's CPU per request, in order (paired with the other paths' rounds of the same index). */
  roundsCpuMsPerRequest: number[];
  peakRssMb: number;
  requests: number;
  errors: number;
  non2xx: number;
  /** Connections the upstream accepted over all rounds (direct: the load generator's own). */
  upstreamConnections: number;
}

export function summarize(cell: Cell): CellSummary {
  const [p50, p90, p99] = percentiles(cell.latencies.values(), [50, 90, 99]);
  const requests = cell.runs.reduce((n, r) => n + r.requests, 0);
  return {
    scenario: cell.scenario,
    hop: cell.hop,
    connections: cell.connections,
    rps: mean(cell.runs.map((r) => r.rps)),
    roundsRps: cell.runs.map((r) => r.rps),
    p50Ms: p50!,
    p90Ms: p90!,
    p99Ms: p99!,
    cpuMsPerRequest: cell.runs.reduce((n, r) => n + r.cpuMs, 0) / Math.max(1, requests),
    roundsCpuMsPerRequest: cell.runs.map((r) => r.cpuMs / Math.max(1, r.requests)),
    peakRssMb: Math.max(...cell.runs.map((r) => r.peakRssBytes)) / 2 ** 20,
    requests,
    errors: cell.runs.reduce((n, r) => n + r.errors, 0),
    non2xx: cell.runs.reduce((n, r) => n + r.non2xx, 0),
    upstreamConnections: cell.runs.reduce((n, r) => n + (r.upstreamConnections ?? 0), 0),
  };
}

/** Sequential streams, hops interleaved stream by stream (so drift hits every hop alike), each hop on one pooled connection. */
export async function measureStreams(hops: Array<{ hop: Hop; target: Call }>, count: number, into: Map<Hop['name'], StreamTiming[]>): Promise<void> {
  const agents = hops.map(() => streamAgent());
  try {
    for (let i = 0; i < count; i++) {
      for (const [j, { hop, target }] of hops.entries()) {
        const timing = await timeStream(target.url, target.body, agents[j]!);
        let list = into.get(hop.name);
        if (!list) into.set(hop.name, (list = []));
        list.push(timing);
      }
    }
  } finally {
    for (const agent of agents) agent.destroy();
  }
}

export interface StreamSummary {
  hop: Hop['name'];
  streams: number;
  ttfbP50Ms: number;
  ttfbP90Ms: number;
  totalP50Ms: number;
  totalP90Ms: number;
  /** Median count of socket reads carrying body bytes: chunks that arrive together show as fewer reads. */
  readsP50: number;
  eventsP50: number;
}

export function summarizeStreams(hop: Hop['name'], timings: StreamTiming[]): StreamSummary {
  const [ttfbP50, ttfbP90] = percentiles(timings.map((t) => t.ttfbMs), [50, 90]);
  const [totalP50, totalP90] = percentiles(timings.map((t) => t.totalMs), [50, 90]);
  return {
    hop,
    streams: timings.length,
    ttfbP50Ms: ttfbP50!,
    ttfbP90Ms: ttfbP90!,
    totalP50Ms: totalP50!,
    totalP90Ms: totalP90!,
    readsP50: percentiles(timings.map((t) => t.reads), [50])[0]!,
    eventsP50: percentiles(timings.map((t) => t.events), [50])[0]!,
  };
}
