import { callerPathRuns } from './caller-paths.ts';
import { optionFrom } from './cli-options.ts';
import { summarize } from './measure.ts';
import type { Bench } from './phases.ts';
import { FULL } from './plan.ts';
import { guardProcessExit, startUpstream } from './processes.ts';
import { prefixes } from './hops.ts';
import { pairedDifference } from './targets.ts';

// `npm run bench:callers [-- --rounds 9]`: the caller-with-limits comparison of the benchmark alone, with
// more rounds — its difference is microseconds, which a shared machine's noise hides in a few rounds.

guardProcessExit();
const plan = { ...FULL, callerRounds: optionFrom('rounds', 'BENCH_ROUNDS', 9) };
const upstream = await startUpstream({ chunks: plan.chunks });
try {
  const bench = {
    plan,
    upstreamUrl: upstream.url,
    prefix: prefixes(plan.slowUpstreamMs, plan.pacedChunkDelayMs, plan.manyStreams),
    progress: (text: string) => process.stderr.write(`${text}\n`),
  } as unknown as Bench;
  const [plain, limited] = (await callerPathRuns(bench)).map(summarize);
  const extraUs = pairedDifference(limited!.roundsCpuMsPerRequest, plain!.roundsCpuMsPerRequest)! * 1000;
  process.stdout.write(`caller-plain ${(plain!.cpuMsPerRequest * 1000).toFixed(1)} µs/request, caller-limited ${(limited!.cpuMsPerRequest * 1000).toFixed(1)} µs/request, added (median of ${plan.callerRounds} paired rounds) ${extraUs.toFixed(1)} µs\n`);
} finally {
  await upstream.stop();
}
