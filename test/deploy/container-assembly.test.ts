import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { PROJECT_ROOT } from '../../core/gateway.ts';
import { readAliasFile } from '../../core/routing/alias-file.ts';
import { GatewayStartError, spawnGatewayProcess, type GatewayProcess } from '../helpers/gateway-process.ts';
import { dockerIgnore } from './docker-ignore.ts';
import { instructionsOf, parseCommand, parseDockerfile, parseHealthcheck, type Stage } from './dockerfile.ts';
import { assembleStage, walk, type BuiltStage } from './image-assembly.ts';

// The old service crash-looped for weeks because its image lacked aliases.yaml. No container engine runs
// here, so this rebuilds the image's file tree from the Dockerfile's COPY lines (honouring .dockerignore),
// installs its production dependencies the way its deps stage does, starts the gateway from that folder
// with the image's CMD, and asks it what a caller would.

const DOCKERFILE = readFileSync(join(PROJECT_ROOT, 'Dockerfile'), 'utf8');
const stages = parseDockerfile(DOCKERFILE);
const finalStage = stages.at(-1)!;

const temporary: string[] = [];
function tempDir(label: string): string {
  const dir = mkdtempSync(join(tmpdir(), `mana-llm-${label}-`));
  temporary.push(dir);
  return dir;
}

/**
 * The RUN steps the Dockerfile uses: `npm ci` (from the warm npm cache when it can) and the compile step.
 * Any other RUN is not modelled.
 */
function runStep(command: string[], cwd: string): void {
  const script = command.at(-1)!;
  assert.match(script, /^(npm ci\b|npx tsc -p tsconfig\.build\.json$)/, `RUN ${script}: the assembly test only knows how to run npm ci and the compile step`);
  const result = spawnSync(command[0]!, command.slice(1), {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, npm_config_prefer_offline: 'true', npm_config_update_notifier: 'false' },
  });
  assert.equal(result.status, 0, `RUN ${script} failed:\n${result.stdout}\n${result.stderr}`);
}

function assemble(stageList: Stage[], built: Map<string, BuiltStage>): { dir: string; state: BuiltStage } {
  const dir = tempDir('image');
  const state = assembleStage(stageList, stageList.at(-1)!, dir, { context: PROJECT_ROOT, run: runStep, built });
  return { dir, state };
}

/**
 * Runs the image's CMD in `dir` with the image's ENV, as the container would (only PATH comes from here),
 * and resolves once it listens. `env` is that environment with the port the gateway got.
 */
async function startImage(dir: string, state: BuiltStage, extraEnv: Record<string, string> = {}): Promise<GatewayProcess & { env: Record<string, string> }> {
  const env = { PATH: process.env.PATH ?? '', ...state.env, OLLAMA_URL: 'http://127.0.0.1:9', ...extraEnv };
  const [command, ...args] = parseCommand(instructionsOf(finalStage, 'CMD').at(-1)!.args);
  // `node` is the image's node; here it is the node running the tests.
  const gateway = await spawnGatewayProcess(command === 'node' ? process.execPath : command!, args, { cwd: dir, env });
  return Object.assign(gateway, { env: { ...env, PORT: new URL(gateway.url).port } });
}

describe('the container image', () => {
  const built = new Map<string, BuiltStage>();
  let image: { dir: string; state: BuiltStage };

  before(() => {
    image = assemble(stages, built);
  });

  after(() => {
    for (const dir of [...temporary, ...[...built.values()].map((s) => s.dir)]) rmSync(dir, { recursive: true, force: true });
  });

  test('runs as a non-root user and has a HEALTHCHECK on /health', () => {
    const user = instructionsOf(finalStage, 'USER').at(-1);
    assert.ok(user, 'the final stage sets USER');
    assert.doesNotMatch(user.args, /^(root|0)(:|$)/);
    const healthcheck = instructionsOf(finalStage, 'HEALTHCHECK').at(-1);
    assert.ok(healthcheck, 'the final stage has a HEALTHCHECK');
    assert.match(parseHealthcheck(healthcheck.args)!.command.join(' '), /\/health\b/);
    assert.match(finalStage.image, /^node:\d+/);
  });

  test('holds production dependencies only, and no tests, benchmarks, git data or secrets', () => {
    const files = walk(image.dir);
    assert.ok(existsSync(join(image.dir, 'core', 'main.js')), 'the image runs the compiled core');
    assert.deepEqual(files.filter((f) => !f.startsWith('node_modules/') && f.endsWith('.ts')), [], 'no TypeScript source is shipped');
    // The lockfile marks what only development needs (typescript, openai, …, and their own dependencies).
    const lock = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> };
    const devOnly = Object.entries(lock.packages).filter(([path, entry]) => path.startsWith('node_modules/') && entry.dev);
    assert.ok(devOnly.some(([path]) => path === 'node_modules/typescript'), 'the lockfile marks typescript as dev only');
    for (const [path] of devOnly) assert.ok(!existsSync(join(image.dir, path)), `${path} (dev only) is not in the image`);
    const own = files.filter((f) => !f.startsWith('node_modules/'));
    assert.deepEqual(own.filter((f) => /(^|\/)(test|bench|\.git)\/|\.test\.ts$|(^|\/)\.env($|\.)/.test(f)), []);
  });

  test('.dockerignore keeps tests, benchmarks, git data and secrets out of the build context', () => {
    const ignored = dockerIgnore(readFileSync(join(PROJECT_ROOT, '.dockerignore'), 'utf8'));
    for (const path of ['test/e2e/fallback.test.ts', 'bench/run.ts', '.git/HEAD', '.env', '.env.production', 'core/config/interpolate.test.ts', 'node_modules/koa/package.json']) {
      assert.equal(ignored(path), true, `${path} is excluded`);
    }
    for (const path of ['core/main.ts', 'plugins/ollama/index.ts', 'config/macmini.yaml', 'aliases.yaml', 'package-lock.json']) {
      assert.equal(ignored(path), false, `${path} is in the context`);
    }
  });

  test('starts with its CMD and serves /health and the shipped aliases', async () => {
    const started = await startImage(image.dir, image.state);
    try {
      const base = started.url;
      const health = await fetch(`${base}/health`);
      assert.equal(health.status, 200);
      assert.match(((await health.json()) as { status: string }).status, /^(ok|degraded)$/);

      const shipped = await readAliasFile(join(PROJECT_ROOT, 'aliases.yaml'));
      const listed = (await (await fetch(`${base}/v1/aliases`)).json()) as { default: string | null; aliases: Array<{ name: string }> };
      assert.deepEqual(listed.aliases.map((a) => a.name).sort(), [...shipped.aliases.keys()].sort());
      assert.equal(listed.aliases.filter((a) => a.name.startsWith('mana/')).length, 5);
      assert.equal(listed.default, shipped.default);

      // The HEALTHCHECK itself, as Docker would run it inside the container.
      const [shell, ...args] = parseHealthcheck(instructionsOf(finalStage, 'HEALTHCHECK').at(-1)!.args)!.command;
      const check = spawnSync(shell!, args, { cwd: image.dir, env: started.env, encoding: 'utf8', timeout: 10_000 });
      assert.equal(check.status, 0, `HEALTHCHECK failed: ${check.stderr}`);
    } finally {
      assert.equal(await started.stop(), 0, 'SIGTERM stops the gateway cleanly');
    }
  });

  test('every provider plugin of the default profile loads from the compiled files when its key is set', async () => {
    // Keys make every plugin create its instance, so that a module loaded only then (the Gemini SDK is
    // imported lazily) is proven to load from the image too. Nothing is called upstream at start.
    const keys = { GOOGLE_API_KEY: 'AIza-test', OPENROUTER_API_KEY: 'sk-or-test', GROQ_API_KEY: 'gsk-test', TOGETHER_API_KEY: 'tg-test', OPENAI_API_KEY: 'sk-test', HEALTH_PROBE_INTERVAL: '86400', OLLAMA_PROBE_INTERVAL: '86400' };
    const started = await startImage(image.dir, image.state, keys);
    try {
      const health = (await (await fetch(`${started.url}/v1/health`)).json()) as { providers: Array<{ name: string; configured: boolean }> };
      const configured = health.providers.filter((p) => p.configured).map((p) => p.name).sort();
      assert.deepEqual(configured, ['google', 'groq', 'ollama', 'openai', 'openrouter', 'together']);
    } finally {
      assert.equal(await started.stop(), 0, 'SIGTERM stops the gateway cleanly');
    }
  });

  test('every shipped profile passes the config check inside the image', () => {
    const result = spawnSync(process.execPath, ['core/check-config.js', '--all'], {
      cwd: image.dir,
      env: { PATH: process.env.PATH ?? '', ...image.state.env },
      encoding: 'utf8',
    });
    assert.equal(result.status, 0, `${result.stdout}\n${result.stderr}`);
    for (const profile of ['default', 'macmini', 'gpu-server']) assert.match(result.stdout, new RegExp(`^profile ${profile} `, 'm'));
  });

  test('an image whose COPY lines miss aliases.yaml does not start (the old crash loop is caught)', async () => {
    const lines = DOCKERFILE.split('\n');
    const withoutAliases = lines.filter((line) => !/^COPY\s+aliases\.yaml\b/.test(line));
    assert.equal(withoutAliases.length, lines.length - 1, 'the Dockerfile copies aliases.yaml on a line of its own');
    const broken = assemble(parseDockerfile(withoutAliases.join('\n')), built);
    await assert.rejects(startImage(broken.dir, broken.state), (err: unknown) => {
      assert.ok(err instanceof GatewayStartError, `a GatewayStartError (got ${String(err)})`);
      assert.equal(err.exitCode, 1);
      assert.match(err.output.join('\n'), /mana-llm cannot start: .*aliases\.yaml/);
      return true;
    });
  });
});
