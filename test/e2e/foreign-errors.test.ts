import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import { PROJECT_ROOT } from '../../core/gateway.ts';
import { FakeOllama } from '../helpers/fake-ollama.ts';
import { postChat } from '../helpers/sse.ts';
import { aliasFile, startProfileGateway, type TestGateway } from '../helpers/test-gateway.ts';

// A provider plugin installed from npm cannot import the core's error classes: it throws Errors that
// carry the CONTRACT's fields. The router must treat them exactly like its own — their kind, their wait,
// their effect on health — in whole answers and in streams that have begun.

const ollama = new FakeOllama();
let gateway: TestGateway;

const PROFILE = `
routing:
  unprefixedProvider: ollama
plugins:
  - use: \${PLUGINS}/ollama
    name: ollama
    options: { baseUrl: "\${OLLAMA_URL}" }
  - use: ${join(PROJECT_ROOT, 'test/fixtures/scripted-plugin/index.js')}
    name: scripted
`;

before(async () => {
  await ollama.start();
  ollama.reply({ text: 'from ollama' });
});
after(() => ollama.stop());

// A fresh gateway per test: circuits and holds start closed.
beforeEach(async () => {
  gateway = await startProfileGateway(PROFILE, {
    OLLAMA_URL: ollama.url,
    ALIASES_PATH: aliasFile('aliases:\n  mana/held:\n    chain: [scripted/rate-limited, ollama/gemma3:4b]\n'),
    CIRCUIT_FAILURE_THRESHOLD: '5',
  });
});
afterEach(() => gateway.close());

const ask = (model: string, extra: Record<string, unknown> = {}) => postChat(gateway.baseURL, { model, messages: [{ role: 'user', content: 'hi' }], ...extra });

async function scriptedHealth(): Promise<{ healthy: boolean; consecutiveFailures: number; unhealthyUntil: string | null }> {
  const detail = (await (await fetch(`${gateway.url}/v1/health`)).json()) as { providers: Array<{ name: string; healthy: boolean; consecutiveFailures: number; unhealthyUntil: string | null }> };
  return detail.providers.find((p) => p.name === 'scripted')!;
}

describe('errors of a plugin that cannot import the core', () => {
  test('content_blocked thrown mid-stream reaches the caller as content_blocked and does not count against the provider', async () => {
    const answer = await ask('scripted/blocked-mid-stream', { stream: true });
    assert.equal(answer.status, 200);
    assert.equal(answer.text, 'The first words');
    assert.equal(answer.done, false, 'no [DONE] after a cut');
    const last = answer.events.at(-1);
    assert.equal(last.error?.code, 'content_blocked', `the error event: ${JSON.stringify(last)}`);
    const health = await scriptedHealth();
    assert.equal(health.consecutiveFailures, 0, 'a blocked answer is no failure of the provider');
    assert.equal(health.healthy, true);
  });

  test('a rate limit keeps its Retry-After: a direct call gets it, and the provider is held out that long', async () => {
    const direct = await ask('scripted/rate-limited');
    assert.equal(direct.status, 429);
    assert.equal(direct.events[0].error.code, 'rate_limited');
    assert.equal(direct.headers.get('retry-after'), '30');
    const health = await scriptedHealth();
    assert.equal(health.healthy, false, 'held out below the failure threshold');
    assert.ok(health.unhealthyUntil !== null && Date.parse(health.unhealthyUntil) > Date.now() + 25_000, `held for the 30 s it asked (until ${health.unhealthyUntil})`);

    const viaAlias = await ask('mana/held');
    assert.equal(viaAlias.status, 200);
    assert.equal(viaAlias.headers.get('x-mana-llm-resolved'), 'ollama/gemma3:4b');
  });

  test("a caller's error leaves the provider's failure count where it was", async () => {
    assert.equal((await ask('scripted/flaky')).status, 503);
    assert.equal((await scriptedHealth()).consecutiveFailures, 1);
    const refused = await ask('scripted/bad-request');
    assert.equal(refused.status, 400);
    assert.equal(refused.events[0].error.param, 'temperature');
    assert.equal((await scriptedHealth()).consecutiveFailures, 1, 'neither raised nor reset');
  });
});
