import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { PROJECT_ROOT } from '../../core/gateway.ts';
import { readAliasFile } from '../../core/routing/alias-file.ts';
import { spawnGatewayProcess } from '../helpers/gateway-process.ts';

// `npm run build && npm run start:dist` in a checkout: the compiled tree lives in a folder of the checkout
// and must read the checkout's config/ and aliases.yaml, and load the built-in plugins from its own
// compiled files (node cannot import the .ts sources). Built into a folder of its own, so that a
// concurrent `npm run build` (the benchmark's smoke test) is not disturbed.

let out: string;

before(() => {
  out = mkdtempSync(join(PROJECT_ROOT, '.compiled-test-'));
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', out], { cwd: PROJECT_ROOT, encoding: 'utf8' });
  assert.equal(result.status, 0, `${result.stdout}${result.stderr}`);
});
after(() => rmSync(out, { recursive: true, force: true }));

const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', OLLAMA_URL: 'http://127.0.0.1:9', GROQ_API_KEY: 'gsk-test', HEALTH_PROBE_INTERVAL: '86400', OLLAMA_PROBE_INTERVAL: '86400' };

test('the compiled config check reads the checkout profiles and loads the compiled plugins', () => {
  const result = spawnSync(process.execPath, [join(out, 'core', 'check-config.js'), '--all'], { cwd: PROJECT_ROOT, env, encoding: 'utf8' });
  assert.equal(result.status, 0, `${result.stdout}\n${result.stderr}`);
  for (const profile of ['default', 'macmini', 'gpu-server']) assert.match(result.stdout, new RegExp(`^profile ${profile} \\(config/${profile}\\.yaml\\)`, 'm'));
  assert.match(result.stdout, /groq\s+provider\s+\.\/plugins\/openai-compat\s+configured/);
});

test('the compiled gateway serves the checkout aliases, started from any folder', async () => {
  const gateway = await spawnGatewayProcess(process.execPath, [join(out, 'core', 'main.js')], { cwd: '/', env: { ...env, HOST: '127.0.0.1' } });
  try {
    const listed = (await (await fetch(`${gateway.url}/v1/aliases`)).json()) as { aliases: Array<{ name: string }> };
    const shipped = await readAliasFile(join(PROJECT_ROOT, 'aliases.yaml'));
    assert.deepEqual(listed.aliases.map((a) => a.name).sort(), [...shipped.aliases.keys()].sort());
    const health = (await (await fetch(`${gateway.url}/v1/health`)).json()) as { providers: Array<{ name: string; configured: boolean }> };
    assert.deepEqual(health.providers.filter((p) => p.configured).map((p) => p.name).sort(), ['groq', 'ollama']);
  } finally {
    await gateway.stop();
  }
});
