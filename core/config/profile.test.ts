import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, test } from 'node:test';
import { PROJECT_ROOT } from '../project-root.ts';
import { loadProfile, profileLocation } from './profile.ts';

describe('profileLocation: a name means config/<name>.yaml, a path means that file', () => {
  const cases: Array<[string, string, string]> = [
    ['default', 'default', '/repo/config/default.yaml'],
    ['gpu-server', 'gpu-server', '/repo/config/gpu-server.yaml'],
    ['./deploy/site.yaml', 'site', '/work/deploy/site.yaml'],
    ['site.yml', 'site', '/work/site.yml'],
    ['/etc/mana-llm/prod.yaml', 'prod', '/etc/mana-llm/prod.yaml'],
    ['../elsewhere/profile', 'profile', '/elsewhere/profile'],
  ];
  for (const [value, name, path] of cases) {
    test(value, () => assert.deepEqual(profileLocation('/repo', value, '/work'), { name, path, isPath: value !== name }));
  }
  test('the price table and odd names are refused with what to do', () => {
    assert.throws(() => profileLocation('/repo', 'prices', '/work'), /config\/prices\.yaml is the price table, not a profile/);
    assert.throws(() => profileLocation('/repo', 'my profile', '/work'), /not a profile name .* nor a path/);
  });
});

test('a profile outside the checkout loads, and its plugin paths stay relative to the project', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mana-llm-profile-'));
  const file = join(dir, 'site.yaml');
  writeFileSync(file, 'plugins:\n  - use: ./plugins/ollama\n    name: ollama\n    local: true\n    options:\n      baseUrl: ${SITE_OLLAMA}\nprices:\n  groq/x: { input: 1, output: 2 }\n');
  for (const value of [file, relative(process.env.INIT_CWD || process.cwd(), file)]) {
    const profile = await loadProfile(PROJECT_ROOT, value, { SITE_OLLAMA: 'http://gpu:11434' });
    assert.equal(profile.name, 'site');
    assert.equal(profile.path, file);
    assert.equal(profile.plugins[0]!.use, './plugins/ollama');
    assert.equal(profile.plugins[0]!.local, true);
    assert.deepEqual(profile.plugins[0]!.options, { baseUrl: 'http://gpu:11434' });
    assert.deepEqual(profile.prices, { 'groq/x': { input: 1, output: 2 } });
  }
  await assert.rejects(loadProfile(PROJECT_ROOT, join(dir, 'missing.yaml'), {}), (err: Error & { code?: string }) => err.code === 'MANA_ERR_PROFILE_NOT_FOUND' && /cannot be read \(ENOENT\).*taken as a path/.test(err.message));
  await assert.rejects(loadProfile(PROJECT_ROOT, 'nope', {}), /profile "nope" not found/);
});

test('a profile\'s prices are checked', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mana-llm-profile-'));
  const file = join(dir, 'bad.yaml');
  writeFileSync(file, 'plugins: []\nprices:\n  groq/x: { input: -1, output: 2, extra: 3 }\n');
  await assert.rejects(loadProfile(PROJECT_ROOT, file, {}), (err: Error & { code?: string }) => err.code === 'MANA_ERR_PROFILE_INVALID' && /prices/.test(err.message));
});

test('a provider entry may set its own probe interval (seconds, from a variable too); zero or less is refused', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mana-llm-profile-'));
  const file = join(dir, 'probes.yaml');
  writeFileSync(file, 'plugins:\n  - use: ./plugins/ollama\n    name: ollama\n    probeInterval: ${PROBE:-5}\n  - use: ./plugins/openai-compat\n    name: groq\n');
  assert.equal((await loadProfile(PROJECT_ROOT, file, {})).plugins[0]!.probeInterval, 5);
  assert.equal((await loadProfile(PROJECT_ROOT, file, { PROBE: '0.5' })).plugins[0]!.probeInterval, 0.5);
  assert.equal((await loadProfile(PROJECT_ROOT, file, {})).plugins[1]!.probeInterval, undefined, 'unset: HEALTH_PROBE_INTERVAL applies');
  await assert.rejects(loadProfile(PROJECT_ROOT, file, { PROBE: '0' }), (err: Error & { code?: string }) => err.code === 'MANA_ERR_PROFILE_INVALID' && /probeInterval/.test(err.message));
});
