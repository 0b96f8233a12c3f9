import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { FakeOllama } from '../helpers/fake-ollama.ts';
import { postChat } from '../helpers/sse.ts';
import { aliasFile, startTestGateway, type TestGateway } from '../helpers/test-gateway.ts';

// MANA_LLM_PROFILE as the path of a profile kept outside the checkout: its `use: ./plugins/…` still
// finds the project's plugins, and its prices and local flags take effect.

const ollama = new FakeOllama();
let gateway: TestGateway;

before(async () => {
  await ollama.start();
  const file = join(mkdtempSync(join(tmpdir(), 'mana-llm-site-')), 'site.yaml');
  writeFileSync(file, `plugins:\n  - use: ./plugins/ollama\n    name: gpu\n    local: true\n    options:\n      baseUrl: ${ollama.url}\n`);
  gateway = await startTestGateway({ MANA_LLM_PROFILE: file, ALIASES_PATH: aliasFile('aliases:\n  mana/site:\n    chain: [gpu/gemma3:4b]\n') });
});

after(async () => {
  await gateway?.close();
  await ollama.stop();
});

test('a profile file outside the checkout serves, named after its file', async () => {
  const answer = await postChat(gateway.baseURL, { model: 'gpu/gemma3:4b', messages: [{ role: 'user', content: 'hi' }] });
  assert.equal(answer.status, 200, answer.raw);
  assert.equal(answer.headers.get('x-mana-llm-resolved'), 'gpu/gemma3:4b');
  assert.equal(answer.headers.get('x-mana-llm-cost'), '0', 'a local provider costs 0');
  assert.equal(gateway.services.profile.name, 'site');
  const alias = await postChat(gateway.baseURL, { model: 'mana/site', messages: [{ role: 'user', content: 'hi' }] });
  assert.equal(alias.headers.get('x-mana-llm-resolved'), 'gpu/gemma3:4b');
});
