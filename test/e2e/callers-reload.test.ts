import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { after, before, test } from 'node:test';
import { FakeOllama } from '../helpers/fake-ollama.ts';
import { callersFile, spawnGateway, startTestGateway, upstreamEnv, type GatewayProcess } from '../helpers/test-gateway.ts';

// The callers file on a real gateway process: reloaded with the aliases on `kill -HUP` (a good file takes
// effect, a broken one is refused and the previous callers stay), and a broken file or a CALLERS_PATH
// that names nothing stops the start with MANA_ERR_CALLERS_FILE.

const ollama = new FakeOllama();
let gateway: GatewayProcess;
let path: string;
const status = async (key: string) =>
  (
    await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ model: 'gemma3:4b', messages: [{ role: 'user', content: 'hi' }] }),
    })
  ).status;

before(async () => {
  await ollama.start();
  path = callersFile('callers:\n  first:\n    keys: [first-key]\n');
  gateway = await spawnGateway({ ...upstreamEnv({ ollama }), CALLERS_PATH: path });
});

after(async () => {
  assert.equal(await gateway.stop(), 0);
  await ollama.stop();
});

test('a good callers file takes effect on SIGHUP', async () => {
  assert.equal(await status('first-key'), 200);
  assert.equal(await status('second-key'), 401);
  writeFileSync(path, 'callers:\n  second:\n    keys: [second-key]\n');
  gateway.child.kill('SIGHUP');
  const line = await gateway.waitForLine(/callers reloaded/);
  assert.deepEqual(JSON.parse(line).callers, ['second']);
  assert.equal(await status('second-key'), 200);
  assert.equal(await status('first-key'), 401, 'a key taken out of the file no longer opens');
});

test('a broken callers file is refused with its reason, naming no key, and the previous callers stay', async () => {
  writeFileSync(path, 'callers:\n  second:\n    keys: [second-key]\n  third:\n    keys: [second-key]\n');
  gateway.child.kill('SIGHUP');
  const line = await gateway.waitForLine(/callers reload rejected/);
  assert.match(JSON.parse(line).reason, /callers\.third\.keys\[0\]: this key is already a key of caller second/);
  assert.equal(line.includes('second-key'), false);
  assert.equal(await status('second-key'), 200);
});

test('a broken callers file, or a CALLERS_PATH naming no file, stops the start', async () => {
  await assert.rejects(startTestGateway({ ...upstreamEnv({ ollama }), CALLERS_PATH: callersFile('callers:\n  a:\n    keys: ["${NOT_SET_ANYWHERE}"]\n') }), (err: Error & { code?: string }) => {
    assert.equal(err.code, 'MANA_ERR_CALLERS_FILE');
    assert.match(err.message, /callers\.a\.keys\[0\] is empty: set NOT_SET_ANYWHERE in the environment/);
    return true;
  });
  await assert.rejects(startTestGateway({ ...upstreamEnv({ ollama }), CALLERS_PATH: join(tmpdir(), 'no-such-callers.yaml') }), /CALLERS_PATH names .*no-such-callers\.yaml, which does not exist/);
});
