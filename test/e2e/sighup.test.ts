import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { FakeOllama } from '../helpers/fake-ollama.ts';
import { aliasFile, spawnGateway, upstreamEnv, type GatewayProcess } from '../helpers/test-gateway.ts';

// `kill -HUP <pid>` on a real gateway process: a good file takes effect and the change is logged; a
// broken one is rejected with its reason and the previous aliases stay in force.

const ollama = new FakeOllama();
let gateway: GatewayProcess;
let path: string;
const aliases = async () => (await (await fetch(`${gateway.url}/v1/aliases`)).json()) as any;

before(async () => {
  await ollama.start();
  path = aliasFile('aliases:\n  mana/one:\n    description: first\n    chain: [ollama/gemma3:4b]\n');
  gateway = await spawnGateway({ ...upstreamEnv({ ollama }), ALIASES_PATH: path });
});

after(async () => {
  const code = await gateway.stop();
  assert.equal(code, 0, 'SIGTERM ends the process cleanly');
  await ollama.stop();
});

test('a good file is loaded on SIGHUP and the change is logged', async () => {
  assert.deepEqual((await aliases()).aliases.map((a: { name: string }) => a.name), ['mana/one']);
  writeFileSync(path, 'default: mana/two\naliases:\n  mana/one:\n    description: first\n    chain: [ollama/gemma3:4b]\n  mana/two:\n    description: second\n    chain: [ollama/llama3.1:8b, groq/llama-3.1-8b-instant]\n');
  gateway.child.kill('SIGHUP');
  const line = await gateway.waitForLine(/aliases reloaded/);
  assert.deepEqual(JSON.parse(line).added, ['mana/two']);
  const now = await aliases();
  assert.equal(now.default, 'mana/two');
  assert.deepEqual(now.aliases[1], { name: 'mana/two', description: 'second', chain: ['ollama/llama3.1:8b', 'groq/llama-3.1-8b-instant'] });
});

test('a broken file is rejected with its reason and the previous aliases stay', async () => {
  writeFileSync(path, 'aliases:\n  fast-text:\n    chain: []\n');
  gateway.child.kill('SIGHUP');
  const line = await gateway.waitForLine(/alias reload rejected/);
  assert.match(JSON.parse(line).reason, /must be named mana\//);
  const now = await aliases();
  assert.deepEqual(now.aliases.map((a: { name: string }) => a.name), ['mana/one', 'mana/two']);
  const answer = await fetch(`${gateway.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'mana/one', messages: [{ role: 'user', content: 'still here?' }] }),
  });
  assert.equal(answer.status, 200);
  assert.equal(answer.headers.get('x-mana-llm-resolved'), 'ollama/gemma3:4b');
});
