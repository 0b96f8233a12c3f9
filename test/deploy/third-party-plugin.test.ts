import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import { checkConfig } from '../../core/check-config.ts';
import { StartupError } from '../../core/errors/startup-error.ts';
import { PROJECT_ROOT, startGateway, type Gateway } from '../../core/gateway.ts';
import { PLUGIN_API_VERSION } from '../../core/plugin/define-plugin.ts';
import { aliasFile, startProfileGateway } from '../helpers/test-gateway.ts';

// A plugin published on npm is named in a profile by its package name and found in the project's
// node_modules. The temporary project here holds only a profile, an alias file and the installed
// package; the gateway's own code still runs from this checkout.

const FIXTURES = join(PROJECT_ROOT, 'test', 'fixtures');
const roots: string[] = [];

/** A project folder with `config/<profile>.yaml`, `aliases.yaml`, and packages linked into node_modules. */
function project(profile: string, yaml: string, aliases: string, packages: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'mana-llm-project-'));
  roots.push(root);
  mkdirSync(join(root, 'config'));
  writeFileSync(join(root, 'config', `${profile}.yaml`), yaml);
  writeFileSync(join(root, 'aliases.yaml'), aliases);
  mkdirSync(join(root, 'node_modules'));
  // 'junction' makes the folder link work on Windows without extra rights; elsewhere it is a plain symlink.
  for (const [name, fixture] of Object.entries(packages)) symlinkSync(join(FIXTURES, fixture), join(root, 'node_modules', name), 'junction');
  return root;
}

const ENV = { HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'silent', HEALTH_PROBE_INTERVAL: '3600', OLLAMA_PROBE_INTERVAL: '3600' };

after(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));

describe('a provider plugin installed from npm', () => {
  let gateway: Gateway;
  let client: OpenAI;
  let root: string;

  before(async () => {
    root = project(
      'echo',
      [
        'routing:',
        '  unprefixedProvider: echo',
        'plugins:',
        '  - use: mana-llm-plugin-echo',
        '    name: echo',
        '    options:',
        '      prefix: "echo: "',
        '  # The same package as a second instance that lacks its key: skipped as unconfigured.',
        '  - use: mana-llm-plugin-echo',
        '    name: locked',
        '    options:',
        '      requireApiKey: true',
        '',
      ].join('\n'),
      ['default: mana/echo', 'aliases:', '  mana/echo:', '    description: The echo plugin behind one that is unconfigured', '    chain: [locked/parrot, echo/parrot]', ''].join('\n'),
      { 'mana-llm-plugin-echo': 'example-plugin-package' },
    );
    gateway = await startGateway({ env: { ...ENV, MANA_LLM_PROFILE: 'echo' }, root });
    client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'unused', maxRetries: 0 });
  });

  after(() => gateway?.close());

  test('serves a chat request through it', async () => {
    const answer = await client.chat.completions.create({ model: 'echo/parrot', messages: [{ role: 'user', content: 'hello from the test' }] });
    assert.equal(answer.model, 'echo/parrot');
    assert.equal(answer.choices[0]!.message.content, 'echo: hello from the test');
    assert.equal(answer.usage?.completion_tokens, 5);
  });

  test('serves a stream, and an alias whose first entry is unconfigured', async () => {
    const { data, response } = await client.chat.completions
      .create({ model: 'mana/echo', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'one two three' }] })
      .withResponse();
    assert.equal(response.headers.get('x-mana-llm-resolved'), 'echo/parrot');
    let text = '';
    let usage;
    for await (const chunk of data) {
      assert.equal(chunk.model, 'echo/parrot');
      text += chunk.choices[0]?.delta.content ?? '';
      usage ??= chunk.usage ?? undefined;
    }
    assert.equal(text, 'echo: one two three');
    assert.equal(usage?.total_tokens, 7);
  });

  test('its instances appear in health and models like any provider', async () => {
    const health = (await (await fetch(`${gateway.url}/v1/health`)).json()) as { providers: Array<{ name: string; configured: boolean }> };
    assert.deepEqual(
      health.providers.map((p) => [p.name, p.configured]).sort(),
      [['echo', true], ['locked', false]],
    );
    const models = await client.models.list();
    assert.ok(models.data.some((m) => m.id === 'echo/parrot'), `echo/parrot is listed (got ${models.data.map((m) => m.id).join(', ')})`);
  });

  test('the config check loads it by name too', async () => {
    const report = await checkConfig({ root, profile: 'echo', env: {} });
    assert.deepEqual(report.errors, []);
    assert.deepEqual(
      report.plugins.map((p) => [p.name, p.kind, p.status]),
      [['echo', 'provider', 'configured'], ['locked', 'provider', 'unconfigured']],
    );
  });
});

describe('plugins the gateway cannot use', () => {
  test('a plugin written for another plugin API version is refused, naming it and both versions', async () => {
    const root = project(
      'future',
      'plugins:\n  - use: mana-llm-plugin-future\n',
      'aliases:\n  mana/x:\n    chain: [future/model]\n',
      { 'mana-llm-plugin-future': 'future-api-plugin-package' },
    );
    await assert.rejects(startGateway({ env: { ...ENV, MANA_LLM_PROFILE: 'future' }, root }), (err: Error) => {
      assert.ok(err instanceof StartupError, `a StartupError (got ${String(err)})`);
      assert.equal(err.code, 'MANA_ERR_PLUGIN_API_VERSION');
      assert.match(err.message, /plugin "future"/);
      assert.match(err.message, /plugin API \^3\b/);
      assert.match(err.message, new RegExp(`speaks plugin API ${PLUGIN_API_VERSION.replaceAll('.', '\\.')}\\b`));
      return true;
    });
  });

  test('a package that is not installed is named, with how to install it', async () => {
    const root = project('missing', 'plugins:\n  - use: mana-llm-plugin-nowhere\n', 'aliases:\n  mana/x:\n    chain: [nowhere/model]\n', {});
    await assert.rejects(startGateway({ env: { ...ENV, MANA_LLM_PROFILE: 'missing' }, root }), (err: Error) => {
      assert.equal((err as StartupError).code, 'MANA_ERR_PLUGIN_LOAD');
      assert.match(err.message, /plugin "mana-llm-plugin-nowhere": package "mana-llm-plugin-nowhere" is not installed.*npm install mana-llm-plugin-nowhere/);
      return true;
    });
  });
});

test('a plugin route on a path the gateway already serves stops the start, naming the plugin', async () => {
  const profile = 'plugins:\n  - use: ${PLUGINS}/prometheus\n    name: metrics\n    options: { path: /health }\n';
  await assert.rejects(startProfileGateway(profile, { ALIASES_PATH: aliasFile('aliases:\n  mana/x:\n    chain: [ollama/x]\n') }), (err: Error) => {
    assert.equal((err as StartupError).code, 'MANA_ERR_PLUGIN_CREATE');
    assert.match(err.message, /plugin "metrics" adds the route GET \/health/);
    return true;
  });
});
