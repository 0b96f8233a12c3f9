import { call, type HopName } from './hops.ts';
import type { Bench } from './phases.ts';
import { cpuTimeMs, LoopBusySampler, RssSampler, rssBytes } from './proc-stats.ts';
import { runStreamLoadProcess, sleep } from './processes.ts';
import type { StreamLoadResult } from './stream-load.ts';

// Thousands of paced streams open at once through one provider (the floor, then the gateway), with small
// whole requests to the same provider sent all the while: what a hop costs when its real load — long
// chat answers — piles up, and whether a new caller waits behind it.

export interface ManyStreamsFigures extends StreamLoadResult {
  hop: HopName;
  /** The hop's process. */
  peakRssMb: number;
  /** (peak RSS − RSS before the run) / streams. */
  rssPerStreamKb: number;
  /** CPU the hop's process used during the run. */
  cpuMs: number;
  /** That CPU over every chunk the completed streams carried (stream set-up and probes included). */
  cpuUsPerChunk: number;
  /** The main thread's CPU share in its busiest second (1: saturated, every event waits in the queue of ready sockets), and how many seconds it was at 0.9 or more. */
  loopBusyPeak: number;
  loopBusySeconds: number;
  /** Gateway only (its `mana_llm_event_loop_delay_*` metrics over the run). */
  eventLoopDelayP99Ms?: number;
  eventLoopDelayMaxMs?: number;
}

export async function manyStreamRuns(b: Bench): Promise<ManyStreamsFigures[]> {
  const shape = b.plan.manyStreams;
  const direct = b.hops.find((h) => h.name === 'direct')!;
  const out: ManyStreamsFigures[] = [];
  for (const hop of b.hops.filter((h) => h.name !== 'direct')) {
    b.progress(`  ${shape.streams} concurrent streams through ${hop.name} (${shape.chunks} chunks, ${shape.chunkDelayMs} ms apart, opened over ${shape.rampMs} ms)`);
    const stream = call(hop, 'stream', 'many', b.prefix);
    const probe = call(hop, 'chat', 'many', b.prefix);
    const directProbe = call(direct, 'chat', 'many', b.prefix);
    if (hop.name === 'gateway') await eventLoopDelay(hop.base); // starts the window
    const rssBefore = rssBytes(hop.pid);
    const cpuBefore = cpuTimeMs(hop.pid);
    const sampler = new RssSampler(hop.pid, 100).start();
    const busy = new LoopBusySampler(hop.pid).start();
    const result = await runStreamLoadProcess({
      streamUrl: stream.url,
      streamBody: stream.body,
      streams: shape.streams,
      rampMs: shape.rampMs,
      probe,
      directProbe,
      probeIntervalMs: shape.probeIntervalMs,
      timeoutMs: shape.chunks * shape.chunkDelayMs + 60_000,
    });
    const peak = sampler.stop();
    const loop = busy.stop();
    const cpuMs = cpuTimeMs(hop.pid) - cpuBefore;
    const delay = hop.name === 'gateway' ? await eventLoopDelay(hop.base) : undefined;
    const chunks = result.completed * shape.chunks;
    out.push({
      hop: hop.name,
      ...result,
      peakRssMb: peak / 2 ** 20,
      rssPerStreamKb: (peak - rssBefore) / shape.streams / 1024,
      cpuMs,
      cpuUsPerChunk: chunks > 0 ? (cpuMs * 1000) / chunks : Number.NaN,
      loopBusyPeak: loop.peakShare,
      loopBusySeconds: loop.secondsAbove90,
      eventLoopDelayP99Ms: delay?.p99Ms,
      eventLoopDelayMaxMs: delay?.maxMs,
    });
    if (result.failed > 0) b.warnings.push(`many streams through ${hop.name}: ${result.failed} of ${result.streams} failed (${JSON.stringify(result.failures)})`);
    b.gatewayServed += hop.name === 'gateway' ? result.completed + result.probeMs.count : 0;
    // The sockets of thousands of streams close over the next moments: let them before the next part.
    await sleep(2_000);
  }
  return out;
}

/** The gateway's event-loop delay since its previous scrape, from its metrics (a scrape starts a new window). */
async function eventLoopDelay(base: string): Promise<{ p99Ms: number; maxMs: number }> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const read = (stat: string) => Number(new RegExp(`^mana_llm_event_loop_delay_${stat}_seconds (\\S+)$`, 'm').exec(text)?.[1] ?? Number.NaN) * 1000;
  return { p99Ms: read('p99'), maxMs: read('max') };
}
