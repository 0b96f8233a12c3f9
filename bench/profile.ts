import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { optionFrom, stringOption } from './cli-options.ts';
import { compiledSourceMaps, formatProfile, summarizeProfile } from './cpu-profile-top.ts';
import { call, prefixes, type Hop } from './hops.ts';
import { runLoad } from './load.ts';
import { guardProcessExit, startGateway, startUpstream, type BenchProcess } from './processes.ts';

// One CPU profile of the gateway per workload (non-streaming chat, then 20-chunk streams) under
// closed-loop load, summarized with cpu-profile-top.ts over the measured window only (start-up and
// warm-up excluded). Profiles go to /tmp/prof, outside the repository.
//
//   node --import tsx bench/profile.ts [--seconds 15] [--connections 16] [--dir /tmp/prof] [--top 25]

const seconds = optionFrom('seconds', 'PROFILE_SECONDS', 15);
const connections = optionFrom('connections', 'PROFILE_CONNECTIONS', 16);
const top = optionFrom('top', 'PROFILE_TOP', 25);
const dir = stringOption('dir') ?? '/tmp/prof';
mkdirSync(dir, { recursive: true });
guardProcessExit();

const processes: BenchProcess[] = [];
try {
  const upstream = await startUpstream({ chunks: 20 });
  processes.push(upstream);
  const prefix = prefixes(50, 2, { chunks: 20, chunkDelayMs: 250 });
  for (const route of ['chat', 'stream'] as const) {
    // One folder per run: Node names each profile by thread id.
    const runDir = join(dir, `gateway-${route}-${Date.now()}`);
    const gateway = await startGateway({ openai: `${upstream.url}/v1` }, { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${runDir}`] });
    processes.push(gateway);
    const hop: Hop = { name: 'gateway', base: gateway.url, pid: gateway.pid };
    const target = call(hop, route, 'fast', prefix);
    await runLoad({ url: target.url, body: target.body, connections, durationS: 3 });
    // V8 stamps samples with the monotonic clock, the same one process.hrtime reads.
    const fromUs = Number(process.hrtime.bigint() / 1000n);
    const load = await runLoad({ url: target.url, body: target.body, connections, durationS: seconds });
    const toUs = Number(process.hrtime.bigint() / 1000n);
    await gateway.stop(10_000);
    processes.splice(processes.indexOf(gateway), 1);
    const path = mainThreadProfile(runDir);
    const summary = summarizeProfile(JSON.parse(readFileSync(path, 'utf8')), { fromUs, toUs }, compiledSourceMaps());
    process.stdout.write(
      `\n== ${route === 'chat' ? 'non-streaming chat' : '20-chunk streams'}, ${connections} connections, ${seconds} s: ${Math.round(load.rps)} req/s, ${load.errors + load.non2xx} failures\n` +
        `profile: ${path}\n${formatProfile(summary, top)}\n`,
    );
  }
} finally {
  await Promise.all(processes.map((p) => p.stop()));
}

/** Node names profiles CPU.<date>.<time>.<pid>.<thread id>.<seq>.cpuprofile; the main thread is thread 0. */
function mainThreadProfile(runDir: string): string {
  const files = readdirSync(runDir).filter((f) => f.endsWith('.cpuprofile'));
  const main = files.find((f) => f.split('.')[4] === '0');
  if (!main) throw new Error(`no main-thread profile in ${runDir} (found: ${files.join(', ') || 'none'})`);
  return join(runDir, main);
}
