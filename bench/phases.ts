import { call, gatewayCall, responsesCall, type Call, type Hop, type HopName, type UpstreamKind } from './hops.ts';
import { runLoad } from './load.ts';
import { measureRun, measureStreams, newCell, type Cell, type RunFigures } from './measure.ts';
import { memoryAtRest, type MemoryReading } from './memory-reading.ts';
import type { Plan } from './plan.ts';
import { RssSampler } from './proc-stats.ts';
import { sleep, type BenchProcess } from './processes.ts';
import { streamAgent, timeStream, type StreamTiming } from './stream-timing.ts';

// The parts of a benchmark run, in the order run.ts calls them. Every comparison runs the hops (or the
// gateway's model paths) interleaved round by round — A B C A B C — so a slow patch of the machine shows
// as a spread between rounds instead of as a difference between hops.

export interface Bench {
  plan: Plan;
  /** The fake upstream's URL (for its request and connection counts). */
  upstreamUrl: string;
  hops: Hop[];
  gateway: BenchProcess;
  prefix: Record<UpstreamKind, string>;
  /** Requests the gateway answered since its warm-up memory reading. */
  gatewayServed: number;
  /** Peak RSS of each hop's process over every 64-connection run, bytes. */
  peak64: Record<HopName, number>;
  warnings: string[];
  progress(text: string): void;
}

export const STREAMS_PER_POOLING_CHECK = 20;

function gatewayHop(b: Bench): Hop {
  return b.hops.find((h) => h.name === 'gateway')!;
}

/**
 * One measured run, with what the upstream saw of it: how many connections the hop opened (pooling) and,
 * for the gateway, whether every answer was the upstream's (not a cache's).
 */
async function measure(b: Bench, hop: Hop, target: Call, connections: number, durationS: number, cell: Cell, label: string): Promise<RunFigures> {
  const before = await upstreamStats(b);
  const run = await measureRun(hop, target, connections, durationS, cell);
  const after = await upstreamStats(b);
  run.upstreamConnections = after.connections - before.connections;
  const reached = after.requests - before.requests;
  if (reached < run.requests) b.warnings.push(`${label}: ${hop.name} answered ${run.requests} requests but only ${reached} reached the upstream (a cache?)`);
  record(b, hop, connections, label, run);
  await sleep(b.plan.settleMs);
  return run;
}

export async function upstreamStats(b: { upstreamUrl: string }): Promise<{ requests: number; connections: number }> {
  const response = await fetch(`${b.upstreamUrl}/_bench/stats`);
  return (await response.json()) as { requests: number; connections: number };
}

function record(b: Bench, hop: Hop, connections: number, label: string, run: RunFigures): void {
  if (hop.name === 'gateway') b.gatewayServed += run.requests;
  if (connections === 64) b.peak64[hop.name] = Math.max(b.peak64[hop.name], run.peakRssBytes);
  const failures = run.errors + run.non2xx > 0 ? ` (${run.errors} errors, ${run.non2xx} non-2xx)` : '';
  b.progress(`  ${label}: ${Math.round(run.rps)} req/s${failures}`);
}

/** JIT, every provider instance's connection pool and the open circuit; then the gateway's baseline memory. */
export async function warmUp(b: Bench): Promise<MemoryReading> {
  b.progress('warm-up');
  const full = b.plan.mode === 'full';
  for (const hop of b.hops) {
    await measureRun(hop, call(hop, 'chat', 'fast', b.prefix), 16, full ? 2 : 0.5);
    await measureRun(hop, call(hop, 'chat', 'slow', b.prefix), 64, full ? 1 : 0.3);
    await measureRun(hop, call(hop, 'embeddings', 'fast', b.prefix), 16, full ? 1 : 0.3);
    await measureStreams([{ hop, target: call(hop, 'stream', 'paced', b.prefix) }], 3, new Map());
  }
  await openTheCircuit(gatewayHop(b));
  const warm = call(gatewayHop(b), 'chat', 'fast', b.prefix);
  await runLoad({ url: warm.url, body: warm.body, connections: 64, amount: b.plan.gatewayWarmupRequests });
  await measureStreams(b.hops.map((hop) => ({ hop, target: call(hop, 'stream', 'fast', b.prefix) })), 20, new Map());
  const reading = await memoryAtRest(b.gateway);
  b.gatewayServed = 0;
  return reading;
}

/** Non-streaming chat against the 0 ms and the slow upstream, at every connection count. */
export async function chatRuns(b: Bench): Promise<Cell[]> {
  const cells: Cell[] = [];
  const scenarios: Array<[string, UpstreamKind]> = [
    ['chat-0ms', 'fast'],
    [`chat-${b.plan.slowUpstreamMs}ms`, 'slow'],
  ];
  for (const [scenario, kind] of scenarios) {
    for (const connections of b.plan.connections) {
      const row = b.hops.map((hop) => newCell(scenario, hop.name, connections));
      cells.push(...row);
      for (let round = 1; round <= b.plan.rounds; round++) {
        for (const [i, hop] of b.hops.entries()) {
          await measure(b, hop, call(hop, 'chat', kind, b.prefix), connections, b.plan.loadS, row[i]!, `${scenario} c=${connections} ${hop.name} round ${round}`);
        }
      }
    }
  }
  return cells;
}

export async function embeddingRuns(b: Bench): Promise<Cell[]> {
  const connections = b.plan.embeddingsConnections;
  const row = b.hops.map((hop) => newCell('embeddings', hop.name, connections));
  for (let round = 1; round <= b.plan.rounds; round++) {
    for (const [i, hop] of b.hops.entries()) {
      await measure(b, hop, call(hop, 'embeddings', 'fast', b.prefix), connections, b.plan.loadS, row[i]!, `embeddings c=${connections} ${hop.name} round ${round}`);
    }
  }
  return row;
}

/**
 * Sequential streams: as fast as the upstream writes, and paced (to see chunks forwarded one by one); then,
 * per hop, how many upstream connections 20 streams open (a hop that cannot reuse one after a stream opens one each).
 */
export async function streamRuns(
  b: Bench,
): Promise<{ fast: Map<HopName, StreamTiming[]>; paced: Map<HopName, StreamTiming[]>; upstreamConnections: Record<HopName, number> }> {
  const fast = new Map<HopName, StreamTiming[]>();
  const paced = new Map<HopName, StreamTiming[]>();
  for (let round = 1; round <= b.plan.rounds; round++) {
    b.progress(`  streams round ${round}`);
    await measureStreams(b.hops.map((hop) => ({ hop, target: call(hop, 'stream', 'fast', b.prefix) })), b.plan.streamsPerRound, fast);
    await measureStreams(b.hops.map((hop) => ({ hop, target: call(hop, 'stream', 'paced', b.prefix) })), b.plan.pacedStreamsPerRound, paced);
  }
  const upstreamConnections: Record<HopName, number> = { direct: 0, floor: 0, gateway: 0 };
  for (const hop of b.hops) {
    const before = await upstreamStats(b);
    await measureStreams([{ hop, target: call(hop, 'stream', 'fast', b.prefix) }], STREAMS_PER_POOLING_CHECK, new Map());
    upstreamConnections[hop.name] = (await upstreamStats(b)).connections - before.connections;
  }
  b.gatewayServed += b.plan.rounds * (b.plan.streamsPerRound + b.plan.pacedStreamsPerRound) + STREAMS_PER_POOLING_CHECK;
  return { fast, paced, upstreamConnections };
}

/**
 * The gateway's chat streams and its Responses streams of the same answer, alternated stream by stream
 * (which of the two goes first alternates too): what the Responses event translation adds to the time to
 * the first event and to the whole stream.
 */
export async function responsesStreamRuns(b: Bench): Promise<{ chat: StreamTiming[]; responses: StreamTiming[] }> {
  const hop = gatewayHop(b);
  const chat = call(hop, 'stream', 'fast', b.prefix);
  const responses = responsesCall(hop, 'openai/bench-model', true);
  const chatAgent = streamAgent();
  const responsesAgent = streamAgent();
  const out = { chat: [] as StreamTiming[], responses: [] as StreamTiming[] };
  try {
    for (let round = 1; round <= b.plan.rounds; round++) {
      b.progress(`  chat and Responses streams round ${round}`);
      for (let i = 0; i < b.plan.streamsPerRound; i++) {
        const chatFirst = i % 2 === 0;
        if (chatFirst) out.chat.push(await timeStream(chat.url, chat.body, chatAgent));
        out.responses.push(await timeStream(responses.url, responses.body, responsesAgent));
        if (!chatFirst) out.chat.push(await timeStream(chat.url, chat.body, chatAgent));
      }
    }
  } finally {
    chatAgent.destroy();
    responsesAgent.destroy();
  }
  b.gatewayServed += 2 * b.plan.rounds * b.plan.streamsPerRound;
  return out;
}

/**
 * The gateway alone: a provider/model hit, an alias, a chain whose first entry's circuit is open, and the
 * same hit through the Responses API (what its translation costs over chat).
 */
export async function modelPathRuns(b: Bench): Promise<Cell[]> {
  const hop = gatewayHop(b);
  const paths: Array<[string, Call]> = [
    ['direct-hit', gatewayCall(hop, 'openai/bench-model')],
    ['alias', gatewayCall(hop, 'mana/bench-alias')],
    ['open-circuit', gatewayCall(hop, 'mana/bench-fallback')],
    ['responses', responsesCall(hop, 'openai/bench-model', false)],
  ];
  await openTheCircuit(hop);
  const cells: Cell[] = [];
  for (const connections of b.plan.aliasConnections) {
    const row = paths.map(([path]) => newCell(path, 'gateway', connections));
    cells.push(...row);
    for (let round = 1; round <= b.plan.aliasRounds; round++) {
      // Each round starts with the next path, so that no path always runs first (or right after another).
      for (let k = 0; k < paths.length; k++) {
        const i = (k + round - 1) % paths.length;
        const [path, target] = paths[i]!;
        await measure(b, hop, target, connections, b.plan.aliasLoadS, row[i]!, `${path} c=${connections} round ${round}`);
      }
    }
  }
  if (!(await circuitIsOpen(hop))) b.warnings.push('the ollama circuit was not open at the end of the open-circuit runs');
  return cells;
}

/** Tops the gateway's requests since warm-up up to the plan's count, then reads its memory again. */
export async function soak(b: Bench): Promise<MemoryReading> {
  const remaining = b.plan.soakRequests - b.gatewayServed;
  if (remaining > 0) {
    b.progress(`soak: ${remaining} more gateway requests at 64 connections (${b.gatewayServed} served since warm-up)`);
    const target = call(gatewayHop(b), 'chat', 'fast', b.prefix);
    const sampler = new RssSampler(b.gateway.pid).start();
    const run = await runLoad({ url: target.url, body: target.body, connections: 64, amount: remaining });
    b.peak64.gateway = Math.max(b.peak64.gateway, sampler.stop());
    b.gatewayServed += run.requests;
    if (run.errors + run.non2xx > 0) b.warnings.push(`soak: ${run.errors} errors, ${run.non2xx} non-2xx`);
  }
  return memoryAtRest(b.gateway);
}

/**
 * Sends requests down mana/bench-fallback until the unreachable Ollama's circuit is open (each one fails
 * over to the openai instance), so the measured runs see only the skip.
 */
async function openTheCircuit(gateway: Hop): Promise<void> {
  const target = gatewayCall(gateway, 'mana/bench-fallback');
  for (let i = 0; i < 10 && !(await circuitIsOpen(gateway)); i++) {
    const response = await fetch(target.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: target.body });
    await response.arrayBuffer();
    if (!response.ok) throw new Error(`mana/bench-fallback answered ${response.status}; the fallback path does not work`);
  }
  if (!(await circuitIsOpen(gateway))) throw new Error('the ollama circuit did not open after 10 failed attempts');
}

async function circuitIsOpen(gateway: Hop): Promise<boolean> {
  const response = await fetch(`${gateway.base}/v1/health`);
  const body = (await response.json()) as { providers: Array<{ name: string; healthy: boolean; unhealthyUntil: string | null }> };
  const ollama = body.providers.find((p) => p.name === 'ollama');
  return ollama !== undefined && !ollama.healthy && ollama.unhealthyUntil !== null;
}
