import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRedisServer } from '../test/helpers/redis-server.ts';
import { optionFrom } from './cli-options.ts';
import { gatewayCall, type Call, type Hop } from './hops.ts';
import { measureRun, newCell, summarize, type Cell } from './measure.ts';
import { guardProcessExit, sleep, startGateway, startUpstream, type BenchProcess } from './processes.ts';
import { pairedDifference } from './targets.ts';

// `npm run bench:shared [-- --rounds 7]`: what shared state costs a request. One profile, two gateways:
// `local` without REDIS_URL (its redis-shared plugin unconfigured) and `shared` with a real redis-server.
// Two paths each, round by round so drift hits both alike:
//   plain    — a caller without limits to an uncapped provider: shared state should cost nothing here
//              (a clean circuit writes nothing, there is no lease and no counter);
//   counted  — a caller with a request rate to an uncapped provider: one rate-limiter-flexible counter
//              in Redis per request;
//   guarded  — a caller with a request rate and a concurrency limit, to a provider with a cap: a
//              rate-limiter-flexible counter in Redis, a caller lease and a provider lease (acquire,
//              refresh timer, release and its announcement), every request.
// Redis's own CPU is not in the figures: it runs beside the gateway as in production.

const PLAIN_KEY = 'bench-plain-caller-key';
const COUNTED_KEY = 'bench-counted-caller-key';
const GUARDED_KEY = 'bench-guarded-caller-key';
const CONNECTIONS = 16;
const PATHS = 3;

const PROFILE = `# written by bench/shared-state-cost.ts
routing:
  unprefixedProvider: openai
  defaultModel: openai/bench-model
plugins:
  - use: ./plugins/openai-compat
    name: openai
    options: { baseUrl: "\${OPENAI_BASE_URL}", apiKey: "\${OPENAI_API_KEY}" }
  - use: ./plugins/openai-compat
    name: groq
    options: { baseUrl: "\${OPENAI_BASE_URL}", apiKey: "\${OPENAI_API_KEY}" }
    limits: { maxConcurrent: 1000, maxQueue: 1000, overflow: fallback }
  - use: ./plugins/redis-shared
    name: redis-shared
    options: { url: "\${REDIS_URL:-}" }
`;

const CALLERS = `# written by bench/shared-state-cost.ts
callers:
  plain:
    keys: [${PLAIN_KEY}]
  counted:
    keys: [${COUNTED_KEY}]
    limits: { requestsPerMinute: 1000000000 }
  guarded:
    keys: [${GUARDED_KEY}]
    limits: { requestsPerMinute: 1000000000, concurrent: 10000 }
`;

guardProcessExit();
const rounds = optionFrom('rounds', 'BENCH_ROUNDS', 7);
const seconds = optionFrom('seconds', 'BENCH_SECONDS', 3);
const dir = mkdtempSync(join(tmpdir(), 'mana-llm-bench-shared-'));
writeFileSync(join(dir, 'profile.yaml'), PROFILE);
writeFileSync(join(dir, 'callers.yaml'), CALLERS);
const env = { MANA_LLM_PROFILE: join(dir, 'profile.yaml'), CALLERS_PATH: join(dir, 'callers.yaml') };

const redis = await startRedisServer();
const upstream = await startUpstream({});
const gateways: BenchProcess[] = [];
try {
  const openai = `${upstream.url}/v1`;
  gateways.push(await startGateway({ openai }, { env }));
  gateways.push(await startGateway({ openai }, { env: { ...env, REDIS_URL: redis.url } }));
  const paths = (gateway: BenchProcess): Array<[string, Call]> => {
    const hop: Hop = { name: 'gateway', base: gateway.url, pid: gateway.pid };
    return [
      ['plain', { ...gatewayCall(hop, 'openai/bench-model'), headers: { authorization: `Bearer ${PLAIN_KEY}` } }],
      ['counted', { ...gatewayCall(hop, 'openai/bench-model'), headers: { authorization: `Bearer ${COUNTED_KEY}` } }],
      ['guarded', { ...gatewayCall(hop, 'groq/bench-model'), headers: { authorization: `Bearer ${GUARDED_KEY}` } }],
    ];
  };
  const runs = gateways.map((gateway, g) => ({ hop: { name: 'gateway', base: gateway.url, pid: gateway.pid } as Hop, paths: paths(gateway), cells: paths(gateway).map(([path]) => newCell(`${g ? 'shared' : 'local'}-${path}`, 'gateway', CONNECTIONS)) }));
  for (const run of runs) for (const [, call] of run.paths) await measureRun(run.hop, call, CONNECTIONS, 1);
  for (let round = 1; round <= rounds; round++) {
    for (let p = 0; p < PATHS; p++) {
      for (const run of runs) {
        const figures = await measureRun(run.hop, run.paths[p]![1], CONNECTIONS, seconds, run.cells[p]);
        const failures = figures.errors + figures.non2xx > 0 ? ` (${figures.errors} errors, ${figures.non2xx} non-2xx)` : '';
        process.stderr.write(`  ${run.cells[p]!.scenario} round ${round}: ${Math.round(figures.rps)} req/s${failures}\n`);
        await sleep(300);
      }
    }
  }
  const report = (p: number) => {
    const [local, shared] = runs.map((r) => summarize(r.cells[p] as Cell));
    const cpuUs = pairedDifference(shared!.roundsCpuMsPerRequest, local!.roundsCpuMsPerRequest)! * 1000;
    return {
      path: runs[0]!.paths[p]![0],
      localCpuUs: +(local!.cpuMsPerRequest * 1000).toFixed(1),
      sharedCpuUs: +(shared!.cpuMsPerRequest * 1000).toFixed(1),
      addedCpuUs: +cpuUs.toFixed(1),
      localP50Ms: +local!.p50Ms.toFixed(2),
      sharedP50Ms: +shared!.p50Ms.toFixed(2),
      errors: local!.errors + local!.non2xx + shared!.errors + shared!.non2xx,
    };
  };
  const rows = Array.from({ length: PATHS }, (_, p) => report(p));
  for (const row of rows) {
    process.stdout.write(
      `${row.path}: CPU ${row.localCpuUs} → ${row.sharedCpuUs} µs/request (added, median of ${rounds} paired rounds: ${row.addedCpuUs} µs); p50 ${row.localP50Ms} → ${row.sharedP50Ms} ms at ${CONNECTIONS} connections${row.errors ? `; ${row.errors} failed` : ''}\n`,
    );
  }
} finally {
  for (const gateway of gateways) await gateway.stop();
  await upstream.stop();
  await redis.close();
}
