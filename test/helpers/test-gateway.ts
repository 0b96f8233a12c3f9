import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { startGateway, PROJECT_ROOT, type Gateway } from '../../core/gateway.ts';
import { spawnGatewayProcess, type GatewayProcess } from './gateway-process.ts';

export type { GatewayProcess } from './gateway-process.ts';

/** Writes an alias file to a fresh temporary folder and returns its path. */
export function aliasFile(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'mana-llm-aliases-')), 'aliases.yaml');
  writeFileSync(path, text);
  return path;
}

/** Writes a callers file to a fresh temporary folder and returns its path. */
export function callersFile(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'mana-llm-callers-')), 'callers.yaml');
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
  OLLAMA_PROBE_INTERVAL: '3600',
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
export async function startTestGateway(
  env: Record<string, string> = {},
  options: {
    captureLog?: boolean;
    /** The circuits' clock (a ManualClock's `now`), so that a test moves past a backoff instead of sleeping. */
    now?: () => number;
  } = {},
): Promise<TestGateway> {
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
  const gateway = await startGateway({ env: fullEnv, logDestination: destination, now: options.now });
  return Object.assign(gateway, { baseURL: `${gateway.url}/v1`, logLines });
}

/** Starts `npm start`'s entry as a real child process (for signals: SIGHUP, SIGTERM), and waits until it listens. */
export function spawnGateway(env: Record<string, string>): Promise<GatewayProcess> {
  return spawnGatewayProcess(process.execPath, ['--import', 'tsx', 'core/main.ts'], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, ...QUIET, LOG_LEVEL: 'info', ...env },
  });
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
