import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { callerPathRuns } from './caller-paths.ts';
import { hasFlag, stringOption } from './cli-options.ts';
import type { Figures } from './figures.ts';
import { HOP_NAMES, prefixes, type Hop } from './hops.ts';
import { summarize, summarizeStreams } from './measure.ts';
import { manyStreamRuns } from './many-streams.ts';
import { chatRuns, embeddingRuns, modelPathRuns, responsesStreamRuns, soak, streamRuns, warmUp, type Bench } from './phases.ts';
import { FULL, QUICK, type Plan } from './plan.ts';
import { guardProcessExit, PROJECT_ROOT, startFloor, startGateway, startUpstream, type BenchProcess } from './processes.ts';
import { formatReport } from './report-table.ts';
import { machine, writeResults } from './results-file.ts';
import { judgeTargets } from './targets.ts';

// `npm run bench [-- --quick] [-- --out path]`: the overhead benchmark of issue #9. Starts the fake
// upstream, the floor proxy and the gateway as separate processes, drives direct / floor / gateway
// interleaved, prints the table and writes bench/results.json (a --quick run writes to the temp folder
// unless --out says otherwise, so it never overwrites the committed figures).

const plan: Plan = hasFlag('quick') ? QUICK : FULL;
const outPath = stringOption('out') ?? (plan.mode === 'full' ? join(PROJECT_ROOT, 'bench', 'results.json') : join(tmpdir(), 'mana-llm-bench-quick.json'));
const progress = (text: string) => process.stderr.write(`${text}\n`);

guardProcessExit();
const startedAt = Date.now();
const processes: BenchProcess[] = [];
try {
  await main();
} finally {
  await Promise.all(processes.map((p) => p.stop()));
}

async function main(): Promise<void> {
  progress(`mana-llm benchmark, ${plan.mode} plan: starting upstream, floor proxy and gateway`);
  const upstream = await startUpstream({ chunks: plan.chunks });
  processes.push(upstream);
  const floor = await startFloor(upstream.url);
  processes.push(floor);
  const prefix = prefixes(plan.slowUpstreamMs, plan.pacedChunkDelayMs, plan.manyStreams);
  const gateway = await startGateway(
    // One provider instance per upstream behaviour; the gateway names it by model (hops.ts).
    {
      openai: `${upstream.url}${prefix.fast}/v1`,
      groq: `${upstream.url}${prefix.slow}/v1`,
      together: `${upstream.url}${prefix.paced}/v1`,
      openrouter: `${upstream.url}${prefix.many}/v1`,
    },
    // Only for the memory readings at rest (memory-reading.ts); nothing on the request path.
    { nodeArgs: ['--expose-gc'], preload: ['./dist/bench/gc-hook.js'] },
  );
  processes.push(gateway);
  const hops: Hop[] = [
    { name: 'direct', base: upstream.url, pid: upstream.pid },
    { name: 'floor', base: floor.url, pid: floor.pid },
    { name: 'gateway', base: gateway.url, pid: gateway.pid },
  ];
  const bench: Bench = { plan, upstreamUrl: upstream.url, hops, gateway, prefix, gatewayServed: 0, peak64: { direct: 0, floor: 0, gateway: 0 }, warnings: [], progress };

  const afterWarmup = await warmUp(bench);
  const chat = await chatRuns(bench);
  const embeddings = await embeddingRuns(bench);
  const streams = await streamRuns(bench);
  const responsesStreams = await responsesStreamRuns(bench);
  const paths = await modelPathRuns(bench);
  const callerPaths = await callerPathRuns(bench);
  const afterSoak = await soak(bench);
  // Last: thousands of open streams leave a larger heap behind, which would blur the soak's leak reading.
  const manyStreams = await manyStreamRuns(bench);

  const MB = 2 ** 20;
  const figures: Figures = {
    chat: chat.map(summarize),
    embeddings: embeddings.map(summarize),
    streams: {
      chunks: plan.chunks,
      fast: HOP_NAMES.map((hop) => summarizeStreams(hop, streams.fast.get(hop) ?? [])),
      paced: HOP_NAMES.map((hop) => summarizeStreams(hop, streams.paced.get(hop) ?? [])),
      pacedChunkDelayMs: plan.pacedChunkDelayMs,
      upstreamConnections: streams.upstreamConnections,
    },
    memory: {
      peakRssUnder64Mb: { direct: bench.peak64.direct / MB, floor: bench.peak64.floor / MB, gateway: bench.peak64.gateway / MB },
      afterWarmup,
      afterSoak,
      soakRequests: bench.gatewayServed,
      growthPct: ((afterSoak.rssMb - afterWarmup.rssMb) / afterWarmup.rssMb) * 100,
    },
    aliasPaths: paths.map(summarize),
    callerPaths: callerPaths.map(summarize),
    responsesStreams: { chat: summarizeStreams('gateway', responsesStreams.chat), responses: summarizeStreams('gateway', responsesStreams.responses) },
    manyStreams: { ...plan.manyStreams, hops: manyStreams },
  };
  for (const cell of [...figures.chat, ...figures.embeddings, ...figures.aliasPaths, ...figures.callerPaths]) {
    if (cell.errors + cell.non2xx > 0) bench.warnings.push(`${cell.scenario} c=${cell.connections} ${cell.hop}: ${cell.errors} errors, ${cell.non2xx} non-2xx`);
  }

  const targets = judgeTargets(figures, plan.slowUpstreamMs);
  const info = machine();
  const durationS = (Date.now() - startedAt) / 1000;
  const title = `mana-llm overhead benchmark (${plan.mode}): ${info.cpus} x ${info.cpuModel}, ${info.memoryGb} GB, Node ${info.node}, ${info.date}, ${Math.round(durationS)} s`;
  process.stdout.write(`\n${formatReport(figures, targets, { title, connections: plan.connections, slowUpstreamMs: plan.slowUpstreamMs })}\n`);
  for (const warning of bench.warnings) process.stdout.write(`warning: ${warning}\n`);
  writeResults(outPath, { machine: info, plan, durationS, figures, targets, warnings: bench.warnings });
  process.stdout.write(`\nwritten: ${outPath}\n`);
}
