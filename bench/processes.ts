import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listeningUrl } from '../test/helpers/gateway-process.ts';
import { eachLine } from '../test/helpers/output-lines.ts';
import type { StreamLoadResult, StreamLoadSpec } from './stream-load.ts';

// The benchmark's actors, each its own process on its own free port, so that the load generator, the
// upstream and the hop under test never share an event loop and /proc can tell their CPU and memory apart.

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

let built = false;
/**
 * Compiles the project to dist/ (`npm run build`), once per process: every actor of the benchmark runs as
 * compiled JavaScript, the way the container image runs the gateway, so no loader or on-the-fly compiler
 * weighs on any of them.
 */
export function buildOnce(): void {
  if (built) return;
  const result = spawnSync(process.execPath, [join(PROJECT_ROOT, 'scripts', 'build.mjs')], { cwd: PROJECT_ROOT, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`npm run build failed:\n${result.stdout}${result.stderr}`);
  built = true;
}

export interface BenchProcess {
  name: string;
  pid: number;
  /** `http://127.0.0.1:port` */
  url: string;
  /** The last lines the process wrote (stdout and stderr), for error messages. */
  output: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves with how it ended. */
  stop(graceMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

// Every child still running, so that a failing run or test can always take them down.
const live = new Set<ChildProcess>();

/** Kills every child this module started and that is still running (synchronous: usable in `exit`). */
export function killAll(signal: NodeJS.Signals = 'SIGKILL'): void {
  for (const child of live) child.kill(signal);
}

let guarded = false;
/** Makes sure no child outlives this process, whichever way it ends. */
export function guardProcessExit(): void {
  if (guarded) return;
  guarded = true;
  process.on('exit', () => killAll());
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      killAll();
      process.exit(130);
    });
  }
}

interface SpawnOptions {
  name: string;
  args: string[];
  env: Record<string, string>;
  /** The URL the process serves at, from the line in which it says so (undefined for any other line). */
  ready: (line: string) => string | undefined;
  /** How long to wait for that line; READY_TIMEOUT_MS when absent. */
  readyTimeoutMs?: number;
}

// Every process is started on port 0 and says which port it got: chosen here and passed on, a port could
// be taken by anything else on the machine before the process binds it.
const READY_TIMEOUT_MS = 30_000;

async function spawnNode({ name, args, env, ready, readyTimeoutMs = READY_TIMEOUT_MS }: SpawnOptions): Promise<BenchProcess> {
  const child = spawn(process.execPath, args, { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  const output: string[] = [];
  let served: (url: string) => void = () => undefined;
  const url = new Promise<string>((resolve) => (served = resolve));
  const onLine = (line: string) => {
    const at = ready(line);
    if (at) served(at);
    output.push(line);
    if (output.length > 200) output.shift();
  };
  eachLine(child.stdout!, onLine);
  eachLine(child.stderr!, onLine);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => {
    child.once('exit', (code, signal) => {
      live.delete(child);
      done({ code, signal });
    });
  });
  const proc: BenchProcess = {
    name,
    pid: child.pid!,
    url: '',
    output,
    exited,
    async stop(graceMs = 5_000) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        const result = await exited;
        clearTimeout(timer);
        return result;
      }
      return exited;
    },
  };
  const died = exited.then(({ code, signal }) => {
    throw new Error(`${name} exited (code ${code}, signal ${signal}) before it served:\n${output.join('\n')}`);
  });
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${name} did not say where it serves within ${readyTimeoutMs} ms:\n${output.join('\n')}`)), readyTimeoutMs);
  });
  try {
    proc.url = await Promise.race([url, died, timedOut]);
  } catch (err) {
    await proc.stop(1_000);
    throw err;
  } finally {
    clearTimeout(timer);
    died.catch(() => undefined);
    timedOut.catch(() => undefined);
  }
  return proc;
}

/** The `listening <port>` line that bench/upstream.ts and bench/floor-proxy.ts print. */
function listeningLine(line: string): string | undefined {
  const match = /^listening (\d+)$/.exec(line);
  return match ? `http://127.0.0.1:${match[1]}` : undefined;
}

function baseEnv(): Record<string, string> {
  // Nothing of the caller's environment leaks in (no provider keys, no REDIS_URL): the run is reproducible.
  const env: Record<string, string> = { NODE_ENV: 'production' };
  for (const name of ['PATH', 'HOME', 'TMPDIR', 'LANG']) if (process.env[name]) env[name] = process.env[name]!;
  return env;
}

export function startUpstream(options: { delayMs?: number; chunkDelayMs?: number; chunks?: number } = {}): Promise<BenchProcess> {
  buildOnce();
  const args = ['dist/bench/upstream.js', '--delay', String(options.delayMs ?? 0), '--chunk-delay', String(options.chunkDelayMs ?? 0), '--chunks', String(options.chunks ?? 20)];
  return spawnNode({ name: 'upstream', args, env: baseEnv(), ready: listeningLine });
}

export function startFloor(targetUrl: string): Promise<BenchProcess> {
  buildOnce();
  return spawnNode({ name: 'floor', args: ['dist/bench/floor-proxy.js', '--target', targetUrl], env: baseEnv(), ready: listeningLine });
}

/** The alias file the benchmark gives the gateway: one plain alias, one whose first entry is never reachable. */
export const BENCH_ALIASES = `# written by bench/processes.ts
default: mana/bench-alias
aliases:
  mana/bench-alias:
    description: one entry, served by the openai instance
    chain:
      - openai/bench-model
  mana/bench-fallback:
    description: first entry on an unreachable Ollama (its circuit opens), then the openai instance
    chain:
      - ollama/bench-unreachable
      - openai/bench-model
`;

export interface GatewayUpstreams {
  /** Base URL (with /v1) of the `openai` instance: the 0 ms upstream. */
  openai: string;
  /** Base URL of the `groq` instance: the 50 ms upstream. */
  groq?: string;
  /** Base URL of the `together` instance: the paced stream upstream. */
  together?: string;
  /** Base URL of the `openrouter` instance: the long paced streams of the many-streams scenario. */
  openrouter?: string;
}

/**
 * The gateway's environment: the shipped default profile pointed at the fake upstream, quiet, no probes.
 * PORT=0: at LOG_LEVEL=error the gateway still writes its listening line then, and that says the port.
 */
export function gatewayEnv(upstreams: GatewayUpstreams): Record<string, string> {
  const aliasesPath = join(mkdtempSync(join(tmpdir(), 'mana-llm-bench-')), 'aliases.yaml');
  writeFileSync(aliasesPath, BENCH_ALIASES);
  const env: Record<string, string> = {
    ...baseEnv(),
    HOST: '127.0.0.1',
    PORT: '0',
    MANA_LLM_PROFILE: 'default',
    LOG_LEVEL: 'error',
    ALIASES_PATH: aliasesPath,
    HEALTH_PROBE_INTERVAL: '86400',
    OLLAMA_PROBE_INTERVAL: '86400',
    CIRCUIT_FAILURE_THRESHOLD: '2',
    CIRCUIT_BACKOFF: '86400',
    // A closed loopback port (discard): Ollama connections are refused at once and its circuit opens.
    OLLAMA_URL: 'http://127.0.0.1:9',
    OPENAI_API_KEY: 'sk-bench-openai-0123456789',
    OPENAI_BASE_URL: upstreams.openai,
  };
  if (upstreams.groq) Object.assign(env, { GROQ_API_KEY: 'sk-bench-groq-0123456789', GROQ_BASE_URL: upstreams.groq });
  if (upstreams.together) Object.assign(env, { TOGETHER_API_KEY: 'sk-bench-together-0123456789', TOGETHER_BASE_URL: upstreams.together });
  if (upstreams.openrouter) Object.assign(env, { OPENROUTER_API_KEY: 'sk-bench-openrouter-0123456789', OPENROUTER_BASE_URL: upstreams.openrouter });
  // Thousands of streams stay open for seconds: no first-token or stall limit may cut one of them.
  Object.assign(env, { REQUEST_TIMEOUT: '600', STALL_TIMEOUT: '60' });
  return env;
}

/** `node [nodeArgs] dist/core/main.js` — what the container image runs. */
export function startGateway(
  upstreams: GatewayUpstreams,
  options: {
    /** Node flags (`--cpu-prof`, `--expose-gc`). */
    nodeArgs?: string[];
    /** Modules imported before the gateway (dist/bench/gc-hook.js). */
    preload?: string[];
    /** More environment (a callers file). */
    env?: Record<string, string>;
  } = {},
): Promise<BenchProcess> {
  buildOnce();
  return spawnNode({
    name: 'gateway',
    args: [...(options.nodeArgs ?? []), ...(options.preload ?? []).flatMap((m) => ['--import', m]), 'dist/core/main.js'],
    env: { ...gatewayEnv(upstreams), ...options.env },
    ready: listeningUrl,
  });
}

/** Runs bench/stream-load.ts as its own process and hands back its result line. */
export async function runStreamLoadProcess(spec: StreamLoadSpec): Promise<StreamLoadResult> {
  buildOnce();
  let result: StreamLoadResult | undefined;
  const load = await spawnNode({
    name: 'stream-load',
    args: ['dist/bench/stream-load.js'],
    env: { ...baseEnv(), STREAM_LOAD_SPEC: JSON.stringify(spec) },
    readyTimeoutMs: spec.rampMs + spec.timeoutMs + 30_000,
    ready: (line) => {
      if (!line.startsWith('result ')) return undefined;
      result = JSON.parse(line.slice('result '.length)) as StreamLoadResult;
      return 'done';
    },
  });
  await load.exited;
  if (!result) throw new Error(`stream-load ended without a result:\n${load.output.join('\n')}`);
  return result;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}
