import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Figures } from './figures.ts';
import { call, prefixes, responsesCall, type Hop } from './hops.ts';
import { measureRun, newCell, summarize, summarizeStreams } from './measure.ts';
import { manyStreamRuns } from './many-streams.ts';
import { memoryAtRest } from './memory-reading.ts';
import { QUICK } from './plan.ts';
import { guardProcessExit, killAll, startFloor, startGateway, startUpstream, type BenchProcess } from './processes.ts';
import { formatReport } from './report-table.ts';
import { streamAgent, timeStream } from './stream-timing.ts';
import { judgeTargets } from './targets.ts';

// Proves that the benchmark works — processes start, load runs, streams are timed, memory is read, the
// report renders, processes stop — in a few seconds. It asserts that figures exist and are positive, never
// how large they are: performance targets live only in the benchmark's own output (`npm run bench`).

guardProcessExit();

test('the benchmark pieces run end to end and every process exits', { timeout: 60_000 }, async (t) => {
  const processes: BenchProcess[] = [];
  t.after(async () => {
    await Promise.all(processes.map((p) => p.stop(2_000)));
    killAll();
  });

  const upstream = await startUpstream({ chunks: 20 });
  processes.push(upstream);
  const floor = await startFloor(upstream.url);
  processes.push(floor);
  const many = { streams: 20, rampMs: 100, chunks: 5, chunkDelayMs: 20, probeIntervalMs: 20 };
  const prefix = prefixes(50, 2, many);
  const gateway = await startGateway(
    { openai: `${upstream.url}/v1`, groq: `${upstream.url}${prefix.slow}/v1`, together: `${upstream.url}${prefix.paced}/v1`, openrouter: `${upstream.url}${prefix.many}/v1` },
    { nodeArgs: ['--expose-gc'], preload: ['./dist/bench/gc-hook.js'] },
  );
  processes.push(gateway);
  const hops: Hop[] = [
    { name: 'direct', base: upstream.url, pid: upstream.pid },
    { name: 'floor', base: floor.url, pid: floor.pid },
    { name: 'gateway', base: gateway.url, pid: gateway.pid },
  ];

  const cells = hops.map((hop) => newCell('chat-0ms', hop.name, 4));
  const streams = [];
  for (const [i, hop] of hops.entries()) {
    const run = await measureRun(hop, call(hop, 'chat', 'fast', prefix), 4, 1, cells[i]);
    assert.equal(run.errors + run.non2xx, 0, `${hop.name}: every request answered 2xx`);
    assert.ok(run.requests > 0 && run.rps > 0, `${hop.name}: requests were answered`);
    assert.ok(run.cpuMs > 0, `${hop.name}: its process used CPU`);
    assert.ok(run.peakRssBytes > 0, `${hop.name}: its RSS was sampled`);
    const summary = summarize(cells[i]!);
    assert.ok(summary.p50Ms > 0 && summary.p99Ms >= summary.p50Ms, `${hop.name}: latency percentiles exist`);

    const agent = streamAgent();
    const timing = await timeStream(call(hop, 'stream', 'fast', prefix).url, call(hop, 'stream', 'fast', prefix).body, agent);
    agent.destroy();
    assert.ok(timing.ttfbMs > 0 && timing.totalMs >= timing.ttfbMs, `${hop.name}: stream timed`);
    assert.ok(timing.events >= 20, `${hop.name}: the 20 chunks arrived (got ${timing.events} events)`);
    streams.push(summarizeStreams(hop.name, [timing]));
  }

  const responsesAgent = streamAgent();
  const responses = responsesCall(hops[2]!, 'openai/bench-model', true);
  const responsesTiming = await timeStream(responses.url, responses.body, responsesAgent);
  responsesAgent.destroy();
  assert.ok(responsesTiming.events >= 20, `a Responses stream through the gateway was timed (${responsesTiming.events} events)`);

  const bench = { plan: { ...QUICK, manyStreams: many }, upstreamUrl: upstream.url, hops, gateway, prefix, gatewayServed: 0, peak64: { direct: 0, floor: 0, gateway: 0 }, warnings: [], progress: () => undefined };
  const manyStreams = await manyStreamRuns(bench);
  assert.deepEqual(manyStreams.map((m) => [m.hop, m.completed]), [['floor', 20], ['gateway', 20]], `every stream completed: ${JSON.stringify(bench.warnings)}`);
  for (const m of manyStreams) {
    assert.ok(m.ttfbMs.p50 > 0 && m.probeMs.count > 0 && m.directProbeMs.count > 0, `${m.hop}: streams and probes were timed`);
    assert.ok(m.peakRssMb > 0 && m.cpuUsPerChunk > 0, `${m.hop}: its memory and CPU were read`);
    assert.ok(m.loopBusyPeak >= 0 && m.loopBusyPeak <= 1 && Number.isInteger(m.loopBusySeconds), `${m.hop}: its event-loop thread's busiest second was read (${m.loopBusyPeak})`);
  }
  const gatewayDelay = manyStreams.find((m) => m.hop === 'gateway')!.eventLoopDelayP99Ms;
  assert.ok(gatewayDelay !== undefined && gatewayDelay >= 0, `the gateway's event-loop delay was scraped (got ${gatewayDelay})`);

  const memory = await memoryAtRest(gateway);
  assert.ok(memory.rssMb > 0 && memory.heapUsedMb > 0 && memory.idleRssMb > 0, 'the gateway reported its memory');

  const figures: Figures = {
    chat: cells.map(summarize),
    embeddings: [],
    streams: { chunks: 20, fast: streams, paced: streams, pacedChunkDelayMs: 2, upstreamConnections: { direct: 1, floor: 1, gateway: 1 } },
    memory: { peakRssUnder64Mb: { direct: 1, floor: 1, gateway: 1 }, afterWarmup: memory, afterSoak: memory, soakRequests: 0, growthPct: 0 },
    aliasPaths: [],
    callerPaths: [],
    responsesStreams: { chat: streams[2]!, responses: streams[2]! },
    manyStreams: { ...many, hops: manyStreams },
  };
  const targets = judgeTargets(figures, 50);
  assert.ok(targets.length > 0, 'the figures were judged against some targets');
  const report = formatReport(figures, targets, { title: 'smoke', connections: [4], slowUpstreamMs: 50 });
  for (const hop of ['direct', 'floor', 'gateway']) assert.match(report, new RegExp(hop));

  for (const proc of processes.splice(0)) {
    const { code, signal } = await proc.stop(5_000);
    assert.ok(code === 0 || signal === 'SIGTERM', `${proc.name} exited cleanly (code ${code}, signal ${signal})`);
  }
});
