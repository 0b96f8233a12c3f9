import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { optionFrom, stringOption } from './cli-options.ts';
import { compiledSourceMaps, formatProfile, summarizeProfile } from './cpu-profile-top.ts';
import { call, prefixes, type Hop } from './hops.ts';
import { runLoad } from './load.ts';
import { guardProcessExit, runStreamLoadProcess, startGateway, startUpstream, type BenchProcess } from './processes.ts';

// One CPU profile of the gateway per workload — non-streaming chat and 20-chunk streams under closed-loop
// load, and `many`: thousands of paced streams open at once (the benchmark's many-streams scenario) —
// summarized with cpu-profile-top.ts over the measured window only (start-up and warm-up excluded).
// Profiles go to /tmp/prof, outside the repository.
//
//   node --import tsx bench/profile.ts [--workloads chat,stream,many] [--seconds 15] [--connections 16]
//     [--streams 2000] [--dir /tmp/prof] [--top 25]

const seconds = optionFrom('seconds', 'PROFILE_SECONDS', 15);
const connections = optionFrom('connections', 'PROFILE_CONNECTIONS', 16);
const top = optionFrom('top', 'PROFILE_TOP', 25);
const streams = optionFrom('streams', 'PROFILE_STREAMS', 2000);
const workloads = (stringOption('workloads') ?? 'chat,stream').split(',') as Array<'chat' | 'stream' | 'many'>;
const MANY = { chunks: 40, chunkDelayMs: 250 };
const dir = stringOption('dir') ?? '/tmp/prof';
mkdirSync(dir, { recursive: true });
guardProcessExit();

const processes: BenchProcess[] = [];
try {
  const upstream = await startUpstream({ chunks: 20 });
  processes.push(upstream);
  const prefix = prefixes(50, 2, MANY);
  for (const route of workloads) {
    // One folder per run: Node names each profile by thread id.
    const runDir = join(dir, `gateway-${route}-${Date.now()}`);
    const gateway = await startGateway({ openai: `${upstream.url}/v1`, openrouter: `${upstream.url}${prefix.many}/v1` }, { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${runDir}`] });
    processes.push(gateway);
    const hop: Hop = { name: 'gateway', base: gateway.url, pid: gateway.pid };
    const target = route === 'many' ? call(hop, 'stream', 'many', prefix) : call(hop, route, 'fast', prefix);
    await runLoad({ url: target.url, body: target.body, connections, durationS: route === 'many' ? 1 : 3 });
    // V8 stamps samples with the monotonic clock, the same one process.hrtime reads.
    const fromUs = Number(process.hrtime.bigint() / 1000n);
    const load =
      route === 'many'
        ? await manyStreams(target.url, target.body, call(hop, 'chat', 'many', prefix), call({ name: 'direct', base: upstream.url, pid: upstream.pid }, 'chat', 'many', prefix))
        : await runLoad({ url: target.url, body: target.body, connections, durationS: seconds });
    const toUs = Number(process.hrtime.bigint() / 1000n);
    await gateway.stop(10_000);
    processes.splice(processes.indexOf(gateway), 1);
    const path = mainThreadProfile(runDir);
    const summary = summarizeProfile(JSON.parse(readFileSync(path, 'utf8')), { fromUs, toUs }, compiledSourceMaps());
    process.stdout.write(
      `\n== ${label(route)}: ${Math.round(load.rps)} req/s, ${load.errors + load.non2xx} failures\n` +
        `profile: ${path}\n${formatProfile(summary, top)}\n`,
    );
  }
} finally {
  await Promise.all(processes.map((p) => p.stop()));
}

function label(route: 'chat' | 'stream' | 'many'): string {
  if (route === 'many') return `${streams} concurrent streams of ${MANY.chunks} chunks ${MANY.chunkDelayMs} ms apart`;
  return `${route === 'chat' ? 'non-streaming chat' : '20-chunk streams'}, ${connections} connections, ${seconds} s`;
}

/** The many-streams workload, in the shape runLoad reports (streams per second over the run). */
async function manyStreams(url: string, body: string, probe: { url: string; body: string }, directProbe: { url: string; body: string }) {
  const result = await runStreamLoadProcess({ streamUrl: url, streamBody: body, streams, rampMs: 5_000, probe, directProbe, probeIntervalMs: 50, timeoutMs: 120_000 });
  return { rps: result.completed / (result.elapsedMs / 1000), errors: result.failed, non2xx: 0 };
}

/** Node names profiles CPU.<date>.<time>.<pid>.<thread id>.<seq>.cpuprofile; the main thread is thread 0. */
function mainThreadProfile(runDir: string): string {
  const files = readdirSync(runDir).filter((f) => f.endsWith('.cpuprofile'));
  const main = files.find((f) => f.split('.')[4] === '0');
  if (!main) throw new Error(`no main-thread profile in ${runDir} (found: ${files.join(', ') || 'none'})`);
  return join(runDir, main);
}
