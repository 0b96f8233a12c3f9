import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gatewayCall, type Call, type Hop } from './hops.ts';
import { measureRun, newCell, type Cell } from './measure.ts';
import type { Bench } from './phases.ts';
import { sleep, startGateway } from './processes.ts';

// What a caller with limits costs over a caller without: a gateway of its own with a callers file, the
// same direct hit sent with the key of `plain` (no limits) and of `limited` (every limit, a budget, a
// models list), round by round, so the difference is the admission and the booking alone — the key
// lookup is in both.

const PLAIN_KEY = 'bench-plain-caller-key';
const LIMITED_KEY = 'bench-limited-caller-key';

const CALLERS = `# written by bench/caller-paths.ts
callers:
  plain:
    keys: [${PLAIN_KEY}]
  limited:
    keys: [${LIMITED_KEY}]
    models: ["openai/*", "mana/*"]
    priority: high
    limits: { requestsPerMinute: 1000000000, tokensPerMinute: 1000000000000, concurrent: 10000 }
    budget: { usdPerDay: 1000000 }
`;

export async function callerPathRuns(b: Bench): Promise<Cell[]> {
  const callersPath = join(mkdtempSync(join(tmpdir(), 'mana-llm-bench-callers-')), 'callers.yaml');
  writeFileSync(callersPath, CALLERS);
  const gateway = await startGateway({ openai: `${b.upstreamUrl}${b.prefix.fast}/v1` }, { env: { CALLERS_PATH: callersPath } });
  try {
    const hop: Hop = { name: 'gateway', base: gateway.url, pid: gateway.pid };
    const hit = gatewayCall(hop, 'openai/bench-model');
    const paths: Array<[string, Call]> = [
      ['caller-plain', { ...hit, headers: { authorization: `Bearer ${PLAIN_KEY}` } }],
      ['caller-limited', { ...hit, headers: { authorization: `Bearer ${LIMITED_KEY}` } }],
    ];
    const connections = 16;
    const cells = paths.map(([path]) => newCell(path, 'gateway', connections));
    // Warm both paths up so neither pays the JIT's first compile in a measured round.
    for (const [, target] of paths) await measureRun(hop, target, connections, 1);
    for (let round = 1; round <= b.plan.callerRounds; round++) {
      for (const [i, [path, target]] of paths.entries()) {
        const run = await measureRun(hop, target, connections, b.plan.aliasLoadS, cells[i]);
        const failures = run.errors + run.non2xx > 0 ? ` (${run.errors} errors, ${run.non2xx} non-2xx)` : '';
        b.progress(`  ${path} c=${connections} round ${round}: ${Math.round(run.rps)} req/s${failures}`);
        await sleep(b.plan.settleMs);
      }
    }
    return cells;
  } finally {
    await gateway.stop();
  }
}
