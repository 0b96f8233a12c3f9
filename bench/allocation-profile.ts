import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { optionFrom } from './cli-options.ts';
import { compiledSourceMaps, type PositionMapper } from './cpu-profile-top.ts';
import { call, prefixes, type Hop } from './hops.ts';
import { buildOnce, gatewayEnv, guardProcessExit, PROJECT_ROOT, runStreamLoadProcess, startUpstream, type BenchProcess } from './processes.ts';

// What the gateway allocates per stream and per chunk: the compiled gateway runs in this process under
// V8's sampling heap profiler (collected objects included, so it is allocation, not what stays alive),
// while a load process streams through it twice — the same number of streams with few and with many
// chunks — so the difference is the chunk path alone. Prints bytes per stream, bytes per chunk, and the
// top allocation sites of the many-chunk run with TypeScript lines.
//
//   node --import tsx bench/allocation-profile.ts [--streams 500] [--few 5] [--many 40] [--top 20]

interface SamplingNode {
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  selfSize: number;
  children: SamplingNode[];
}

const streams = optionFrom('streams', 'ALLOC_STREAMS', 500);
const few = optionFrom('few', 'ALLOC_FEW_CHUNKS', 5);
const many = optionFrom('many', 'ALLOC_MANY_CHUNKS', 40);
const top = optionFrom('top', 'ALLOC_TOP', 20);
const CHUNK_DELAY_MS = 20;

guardProcessExit();
buildOnce();
const processes: BenchProcess[] = [];
try {
  const upstream = await startUpstream();
  processes.push(upstream);
  const fewPrefix = prefixes(50, 2, { chunks: few, chunkDelayMs: CHUNK_DELAY_MS });
  const manyPrefix = prefixes(50, 2, { chunks: many, chunkDelayMs: CHUNK_DELAY_MS });
  const env = gatewayEnv({ openai: `${upstream.url}/v1`, together: `${upstream.url}${fewPrefix.many}/v1`, openrouter: `${upstream.url}${manyPrefix.many}/v1` });
  const { startGateway } = (await import(pathToFileURL(join(PROJECT_ROOT, 'dist/core/gateway.js')).href)) as typeof import('../core/gateway.ts');
  const gateway = await startGateway({ env });
  try {
    const hop: Hop = { name: 'gateway', base: gateway.url, pid: process.pid };
    const direct: Hop = { name: 'direct', base: upstream.url, pid: upstream.pid };
    const run = async (instance: 'together' | 'openrouter', chunks: number) => {
      const stream = call(hop, 'stream', 'many', manyPrefix);
      const body = stream.body.replace('"openrouter/', `"${instance}/`);
      const session = new Session();
      session.connect();
      await session.post('HeapProfiler.enable');
      await session.post('HeapProfiler.startSampling', { samplingInterval: 1024, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
      const result = await runStreamLoadProcess({
        streamUrl: stream.url,
        streamBody: body,
        streams,
        rampMs: 1_000,
        probe: call(hop, 'chat', 'fast', manyPrefix),
        directProbe: call(direct, 'chat', 'fast', manyPrefix),
        probeIntervalMs: 1_000_000,
        timeoutMs: 60_000,
      });
      const { profile } = (await session.post('HeapProfiler.stopSampling')) as { profile: { head: SamplingNode } };
      session.disconnect();
      if (result.completed !== streams) throw new Error(`${result.completed} of ${streams} streams completed: ${JSON.stringify(result.failures)}`);
      return { chunks, sites: sites(profile.head, compiledSourceMaps()) };
    };
    await run('openrouter', many); // warm-up: JIT and pools, not measured
    const small = await run('together', few);
    const large = await run('openrouter', many);
    const total = (s: Map<string, number>) => [...s.values()].reduce((a, b) => a + b, 0);
    const perChunk = (total(large.sites) - total(small.sites)) / (streams * (many - few));
    const perStream = total(small.sites) / streams - perChunk * few;
    process.stdout.write(
      `${streams} streams through the gateway, ${few} and ${many} chunks each (${CHUNK_DELAY_MS} ms apart): ` +
        `${(total(small.sites) / 2 ** 20).toFixed(1)} MB and ${(total(large.sites) / 2 ** 20).toFixed(1)} MB allocated\n` +
        `per chunk: ${perChunk.toFixed(0)} bytes; per stream (its set-up, request and end): ${(perStream / 1024).toFixed(1)} KB\n\n` +
        `top ${top} allocation sites of the ${many}-chunk run (bytes per chunk if all were chunk work):\n`,
    );
    const chunkCount = streams * many;
    for (const [site, bytes] of [...large.sites].sort((a, b) => b[1] - a[1]).slice(0, top)) {
      process.stdout.write(`${(bytes / 2 ** 20).toFixed(2).padStart(8)} MB ${(bytes / chunkCount).toFixed(0).padStart(6)} B/chunk  ${site}\n`);
    }
  } finally {
    await gateway.close();
  }
} finally {
  await Promise.all(processes.map((p) => p.stop()));
}

/** Allocated bytes by site (function and TypeScript line), summed over the sampling tree. */
function sites(head: SamplingNode, mapPosition: PositionMapper): Map<string, number> {
  const out = new Map<string, number>();
  const visit = (node: SamplingNode) => {
    if (node.selfSize > 0) {
      const { functionName, url, lineNumber, columnNumber } = node.callFrame;
      const mapped = url ? mapPosition(url, lineNumber, columnNumber) : undefined;
      const where = mapped ? `${mapped.file}:${mapped.line}` : url ? `${url.replace(pathToFileURL(PROJECT_ROOT).href + '/', '')}:${lineNumber + 1}` : '';
      const key = `${functionName || '(anonymous)'}  ${where}`;
      out.set(key, (out.get(key) ?? 0) + node.selfSize);
    }
    for (const child of node.children) visit(child);
  };
  visit(head);
  return out;
}
