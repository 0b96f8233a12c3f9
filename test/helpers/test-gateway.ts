import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { startGateway, PROJECT_ROOT, type Gateway } from '../../core/gateway.ts';

/** Writes an alias file to a fresh temporary folder and returns its path. */
export function aliasFile(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'mana-llm-aliases-')), 'aliases.yaml');
  writeFileSync(path, text);
  return path;
}

/** The environment that points the shipped default profile at the given fakes. */
export interface Upstreams {
  ollama?: { url: string };
  groq?: { baseUrl: string };
  openrouter?: { baseUrl: string };
  openai?: { baseUrl: string };
  together?: { baseUrl: string };
  google?: { url: string };
}

export function upstreamEnv(upstreams: Upstreams): Record<string, string> {
  const env: Record<string, string> = {
    // Nothing may reach the public internet: an upstream a test does not start points at a closed port.
    OLLAMA_URL: upstreams.ollama?.url ?? 'http://127.0.0.1:9',
  };
  for (const name of ['groq', 'openrouter', 'openai', 'together'] as const) {
    const upstream = upstreams[name];
    if (upstream) {
      env[`${name.toUpperCase()}_API_KEY`] = `sk-test-${name}-key-0123456789`;
      env[`${name.toUpperCase()}_BASE_URL`] = upstream.baseUrl;
    }
  }
  if (upstreams.google) {
    env.GOOGLE_API_KEY = 'test-google-key-0123456789';
    env.GOOGLE_BASE_URL = upstreams.google.url;
  }
  return env;
}

const QUIET: Record<string, string> = {
  HOST: '127.0.0.1',
  PORT: '0',
  LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
  HEALTH_PROBE_INTERVAL: '3600',
};

export interface TestGateway extends Gateway {
  /** `http://127.0.0.1:port/v1`, for the `openai` client's baseURL. */
  baseURL: string;
  /** Log lines written so far (JSON objects), when `captureLog` was set. */
  logLines: Array<Record<string, unknown>>;
}

/**
 * Starts the gateway in this process with the default profile (or `profile`), pointed at fakes. Unset
 * provider keys stay unset, so those providers are unconfigured, exactly as in production.
 */
export async function startTestGateway(env: Record<string, string> = {}, options: { captureLog?: boolean } = {}): Promise<TestGateway> {
  const logLines: Array<Record<string, unknown>> = [];
  const destination = options.captureLog
    ? new Writable({
        write(chunk, _enc, done) {
          for (const line of String(chunk).split('\n')) if (line.trim()) logLines.push(JSON.parse(line));
          done();
        },
      })
    : undefined;
  const fullEnv = { ...QUIET, ...(options.captureLog ? { LOG_LEVEL: 'debug' } : {}), ...env };
  const gateway = await startGateway({ env: fullEnv, logDestination: destination });
  return Object.assign(gateway, { baseURL: `${gateway.url}/v1`, logLines });
}

export interface GatewayProcess {
  child: ChildProcess;
  url: string;
  /** Every stdout line so far. */
  output: string[];
  /** Resolves with the first output line matching `pattern` (waiting for it when needed). */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
  stop(): Promise<number | null>;
}

/** A free loopback port (the kernel picks it; the port is released before it is returned). */
export async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Starts `npm start`'s entry as a real child process (for signals: SIGHUP, SIGTERM), and waits for /health. */
export async function spawnGateway(env: Record<string, string>): Promise<GatewayProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'core/main.ts'], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, ...QUIET, LOG_LEVEL: 'info', ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const waiters: Array<{ pattern: RegExp; resolve: (line: string) => void }> = [];
  const onLine = (line: string) => {
    output.push(line);
    for (const waiter of [...waiters]) {
      if (waiter.pattern.test(line)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
  };
  let pending = '';
  const onData = (chunk: Buffer) => {
    pending += chunk.toString('utf8');
    const lines = pending.split('\n');
    pending = lines.pop()!;
    lines.forEach(onLine);
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const waitForLine = (pattern: RegExp, timeoutMs = 15_000) =>
    new Promise<string>((resolve, reject) => {
      const found = output.find((l) => pattern.test(l));
      if (found) return resolve(found);
      const timer = setTimeout(() => reject(new Error(`no output line matched ${pattern} within ${timeoutMs}ms:\n${output.join('\n')}`)), timeoutMs);
      waiters.push({
        pattern,
        resolve: (line) => {
          clearTimeout(timer);
          resolve(line);
        },
      });
      child.once('exit', () => reject(new Error(`gateway exited before ${pattern}:\n${output.join('\n')}`)));
    });
  const url = `http://127.0.0.1:${port}`;
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`gateway exited with ${child.exitCode}:\n${output.join('\n')}`);
    const up = await fetch(`${url}/health`).then((r) => r.ok, () => false);
    if (up) break;
    if (Date.now() - started > 20_000) {
      child.kill('SIGKILL');
      throw new Error(`gateway did not answer /health within 20 s:\n${output.join('\n')}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    child,
    url,
    output,
    waitForLine,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve(child.exitCode);
        child.once('exit', (code) => resolve(code));
        child.kill('SIGTERM');
      }),
  };
}

/**
 * A temporary project root holding one profile (`config/test.yaml`) for tests that need other settings
 * than the shipped profiles. `${PLUGINS}` in the text stands for the absolute path of this repo's plugins/.
 */
export function profileRoot(profileYaml: string): { root: string; env: Record<string, string> } {
  const root = mkdtempSync(join(tmpdir(), 'mana-llm-root-'));
  mkdirSync(join(root, 'config'));
  writeFileSync(join(root, 'config', 'test.yaml'), profileYaml.replaceAll('${PLUGINS}', join(PROJECT_ROOT, 'plugins')));
  return { root, env: { MANA_LLM_PROFILE: 'test', ALIASES_PATH: join(PROJECT_ROOT, 'aliases.yaml') } };
}

/** Starts an in-process gateway on a profile written by `profileRoot`. */
export async function startProfileGateway(profileYaml: string, env: Record<string, string> = {}): Promise<TestGateway> {
  const { root, env: profileEnv } = profileRoot(profileYaml);
  const gateway = await startGateway({ env: { ...QUIET, ...profileEnv, ...env }, root });
  return Object.assign(gateway, { baseURL: `${gateway.url}/v1`, logLines: [] });
}
