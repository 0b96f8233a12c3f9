import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { checkConfig, formatReport, profileNames } from '../../core/check-config.ts';
import { PROJECT_ROOT } from '../../core/gateway.ts';

// `npm run check-config` must pass on every shipped profile (CI runs it with --all), and must fail, naming
// the plugin and the option, on a profile that would not start.

const roots: string[] = [];
after(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));

/** A project folder with the given profiles and alias file; built-in plugins are named by absolute path. */
function project(profiles: Record<string, string>, aliases?: string): string {
  const root = mkdtempSync(join(tmpdir(), 'mana-llm-check-'));
  roots.push(root);
  mkdirSync(join(root, 'config'));
  for (const [name, text] of Object.entries(profiles)) writeFileSync(join(root, 'config', `${name}.yaml`), text.replaceAll('<repo>', PROJECT_ROOT));
  if (aliases === undefined) copyFileSync(join(PROJECT_ROOT, 'aliases.yaml'), join(root, 'aliases.yaml'));
  else writeFileSync(join(root, 'aliases.yaml'), aliases);
  return root;
}

function cli(args: string[]) {
  // No provider key of this machine may leak in: the child sees PATH and HOME only.
  return spawnSync(process.execPath, ['--import', 'tsx', 'core/check-config.ts', ...args], {
    cwd: PROJECT_ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
    encoding: 'utf8',
  });
}

test('every shipped profile passes, and the summary says what loads and what each alias can use', async () => {
  const names = profileNames();
  assert.deepEqual(names.filter((n) => ['default', 'macmini', 'gpu-server'].includes(n)), ['default', 'gpu-server', 'macmini']);
  for (const profile of names) {
    const report = await checkConfig({ profile, env: {} });
    assert.deepEqual(report.errors, [], `${profile}: ${report.errors.map((e) => e.message).join('; ')}`);
    assert.deepEqual(report.configured, ['ollama'], `${profile}: without keys only Ollama is configured`);
    assert.ok(report.unconfigured.length > 0 && report.unconfigured.every((u) => /no API key/.test(u.reason)), `${profile}: the other providers lack an API key (got ${report.unconfigured.map((u) => `${u.name}: ${u.reason}`).join('; ')})`);
    assert.equal(report.aliases.length, 5);
    const text = formatReport(report);
    assert.match(text, new RegExp(`^profile ${profile} \\(config/${profile}\\.yaml\\)`));
    assert.match(text, /^ {2}providers configured \(1\): ollama$/m);
    assert.match(text, /^ {4}mana\/fast-text +ollama\/gemma3:4b → groq\/llama-3\.1-8b-instant \[unconfigured\] → google\/gemini-2\.5-flash \[unconfigured\]$/m);
    assert.match(text, /alias mana\/vision: openai\/gpt-4o-mini will be skipped: provider "openai" is unconfigured: no API key/);
    assert.match(text, /^ {2}OK \(\d+ warnings\)$/m);
  }
  const macmini = await checkConfig({ profile: 'macmini', env: {} });
  assert.deepEqual(macmini.plugins.find((p) => p.name === 'prometheus'), { name: 'prometheus', kind: 'observer', use: './plugins/prometheus', status: 'loaded' });
});

test('a provider key in the environment makes its provider configured and its chain entries clean', async () => {
  const report = await checkConfig({ profile: 'macmini', env: { GROQ_API_KEY: 'gsk_test', GOOGLE_API_KEY: 'g_test' } });
  assert.deepEqual(report.configured, ['ollama', 'google', 'groq']);
  assert.deepEqual(report.aliases.find((a) => a.name === 'mana/fast-text')!.chain.map((e) => e.status), ['configured', 'configured', 'configured']);
  assert.ok(!report.warnings.some((w) => /"groq"|"google"/.test(w)), report.warnings.join('\n'));
});

test('it neither listens nor calls an upstream', async () => {
  let connections = 0;
  const upstream = createServer((socket) => {
    connections++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(upstream.address() as { port: number }).port}`;
  try {
    const report = await checkConfig({
      profile: 'macmini',
      env: { OLLAMA_URL: url, GROQ_API_KEY: 'k', GROQ_BASE_URL: `${url}/v1`, GOOGLE_API_KEY: 'k', GOOGLE_BASE_URL: url, PORT: String((upstream.address() as { port: number }).port) },
    });
    assert.deepEqual(report.errors, []);
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(connections, 0);
  } finally {
    upstream.close();
  }
});

test('the CLI checks every profile with --all and exits 0', () => {
  const result = cli(['--all']);
  assert.equal(result.status, 0, result.stderr);
  for (const profile of ['default', 'macmini', 'gpu-server']) assert.match(result.stdout, new RegExp(`^profile ${profile} \\(config/${profile}\\.yaml\\)$`, 'm'));
  assert.match(result.stdout, /^ {4}prometheus +observer +\.\/plugins\/prometheus +loaded$/m);
  assert.match(result.stdout, /^ {2}aliases \(5\) from aliases\.yaml, default mana\/fast-text:$/m);
  assert.doesNotMatch(result.stdout, /FAILED/);
});

test('an invalid plugin option fails the check, naming the plugin and the option', async () => {
  const root = project({
    broken: ['plugins:', '  - use: <repo>/plugins/ollama', '    name: ollama', '  - use: <repo>/plugins/openai-compat', '    name: groq', '    options:', '      baseUrl: ftp://api.groq.com', '      apiKey: gsk_test', ''].join('\n'),
  });
  const report = await checkConfig({ root, profile: 'broken', env: {} });
  assert.equal(report.errors.length, 1);
  assert.equal(report.errors[0]!.code, 'MANA_ERR_PLUGIN_OPTIONS');
  assert.match(report.errors[0]!.message, /^plugin "groq" \(openai-compat\): option "baseUrl" must match pattern/);

  const result = cli(['--root', root, '--profile', 'broken']);
  assert.equal(result.status, 1);
  assert.match(result.stdout, /✗ plugin "groq" \(openai-compat\): option "baseUrl" must match pattern "\^https\?:\/\/" \(MANA_ERR_PLUGIN_OPTIONS\)/);
  assert.match(result.stdout, /FAILED: 1 error/);
  assert.match(result.stderr, /1 of 1 profile\(s\) cannot start/);
});

test('alias entries outside the profile are warnings; what the gateway would refuse are errors', async () => {
  const ollamaOnly = ['routing:', '  unprefixedProvider: ollama', 'plugins:', '  - use: <repo>/plugins/ollama', '    name: ollama', ''].join('\n');
  const root = project(
    { ok: ollamaOnly, wrongRouting: ollamaOnly.replace('unprefixedProvider: ollama', 'unprefixedProvider: nope'), badYaml: 'plugins: [' },
    ['aliases:', '  mana/mixed:', '    chain: [nope/model, ollama/gemma3:4b]', '  mana/nowhere:', '    chain: [nope/model]', ''].join('\n'),
  );
  const ok = await checkConfig({ root, profile: 'ok', env: {} });
  assert.deepEqual(ok.errors, []);
  assert.deepEqual(ok.warnings, [
    'alias mana/mixed: nope/model will be skipped: provider "nope" is not in the profile',
    'alias mana/nowhere: nope/model will be skipped: provider "nope" is not in the profile',
    'alias mana/nowhere: no entry of its chain has a configured provider; every request to it will fail (503 no_healthy_provider)',
  ]);
  assert.match(formatReport(ok), /mana\/mixed +nope\/model \[not in profile\] → ollama\/gemma3:4b$/m);

  const routing = await checkConfig({ root, profile: 'wrongRouting', env: {} });
  assert.deepEqual(routing.errors, [{ code: 'MANA_ERR_PROFILE_ROUTING', message: `profile config/wrongRouting.yaml: routing.unprefixedProvider "nope" names no provider of the profile` }]);
  const codes = async (profile: string, env: Record<string, string> = {}) => (await checkConfig({ root, profile, env })).errors.map((e) => e.code);
  assert.deepEqual(await codes('badYaml'), ['MANA_ERR_PROFILE_INVALID']);
  assert.deepEqual(await codes('absent'), ['MANA_ERR_PROFILE_NOT_FOUND']);
  assert.deepEqual(await codes('ok', { PORT: 'many' }), ['MANA_ERR_SETTING']);

  const badAliases = project({ ok: ollamaOnly }, 'aliases:\n  fast:\n    chain: [ollama/x]\n');
  const [aliasProblem] = (await checkConfig({ root: badAliases, profile: 'ok', env: {} })).errors;
  assert.equal(aliasProblem?.code, 'MANA_ERR_ALIAS_FILE');
  assert.match(aliasProblem!.message, /alias "fast" must be named mana\/<name>/);
  const result = cli(['--root', root, '--all']);
  assert.equal(result.status, 1);
  assert.match(result.stderr, /2 of 3 profile\(s\) cannot start/);
});

test('a usage error exits 2', () => {
  const result = cli(['--profiel', 'macmini']);
  assert.equal(result.status, 2);
  assert.match(result.stderr, /unknown or incomplete argument "--profiel"[\s\S]*usage: npm run check-config/);
});

test('the callers file is checked: the shipped example passes against the shipped aliases, a broken file is MANA_ERR_CALLERS_FILE', async () => {
  const example = await checkConfig({ profile: 'default', env: { CALLERS_PATH: './callers.example.yaml' } });
  assert.deepEqual(example.errors, []);
  assert.deepEqual(example.callers, ['chat-backend', 'web-app', 'enrichment', 'private-notes', 'console-admin']);
  assert.match(formatReport(example), /^ {2}callers \(5\) from callers\.example\.yaml: chat-backend, web-app, enrichment, private-notes, console-admin$/m);

  const none = await checkConfig({ profile: 'default', env: {} });
  assert.deepEqual(none.callers, []);
  assert.match(formatReport(none), /^ {2}callers: none \(no callers\.yaml\)$/m);

  const dir = mkdtempSync(join(tmpdir(), 'mana-llm-check-callers-'));
  roots.push(dir);
  writeFileSync(join(dir, 'callers.yaml'), 'callers:\n  web:\n    keys: [k]\n    models: ["mana/nope"]\n    priority: urgent\n');
  const broken = await checkConfig({ profile: 'default', env: { CALLERS_PATH: join(dir, 'callers.yaml') } });
  assert.equal(broken.errors.length, 1);
  assert.equal(broken.errors[0]!.code, 'MANA_ERR_CALLERS_FILE');
  assert.match(broken.errors[0]!.message, /callers\.web\.priority must be one of high, normal, low/);
});
