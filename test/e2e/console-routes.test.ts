import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { FakeOllama } from '../helpers/fake-ollama.ts';
import { callersFile, startTestGateway, upstreamEnv, type TestGateway } from '../helpers/test-gateway.ts';

// The console's routes without a browser: the page and its assets are public and hold no data; the data
// route needs a key, and an admin caller's while a callers file is in force.

const ollama = new FakeOllama();
before(() => ollama.start());
after(() => ollama.stop());

const get = (gateway: TestGateway, path: string, headers: Record<string, string> = {}) => fetch(gateway.baseURL.replace(/\/v1$/, '') + path, { headers });

describe('with a callers file', () => {
  let gateway: TestGateway;
  before(async () => {
    gateway = await startTestGateway({
      ...upstreamEnv({ ollama }),
      CALLERS_PATH: callersFile('callers:\n  ops:\n    keys: [ops-key]\n    admin: true\n  app:\n    keys: [app-key]\n'),
    });
  });
  after(() => gateway.close());

  test('the page is served without a key, under a strict Content-Security-Policy', async () => {
    const response = await get(gateway, '/console');
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type')!, /^text\/html/);
    assert.match(response.headers.get('content-security-policy')!, /default-src 'none'; script-src 'self'/);
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
    const html = await response.text();
    assert.match(html, /<script src="\/console\/console.js"><\/script>/);
    assert.doesNotMatch(html, /<script>|style=|https?:\/\//, 'no inline script or style, nothing from elsewhere');
  });

  test('each asset is served, and a browser holding it gets a 304', async () => {
    for (const [path, type] of [['/console/console.js', 'text/javascript'], ['/console/console.css', 'text/css'], ['/console/uplot.js', 'text/javascript'], ['/console/uplot.css', 'text/css']]) {
      const response = await get(gateway, path!);
      assert.equal(response.status, 200, path);
      assert.ok(response.headers.get('content-type')!.startsWith(type!), path);
      const etag = response.headers.get('etag')!;
      assert.ok(etag, `${path} has an ETag`);
      const again = await get(gateway, path!, { 'if-none-match': etag });
      assert.equal(again.status, 304, path);
    }
  });

  test('the data needs a key (401) and an admin caller (403 names why)', async () => {
    const none = await get(gateway, '/console/state');
    assert.equal(none.status, 401);
    assert.equal(((await none.json()) as any).error.type, 'authentication_error');
    const app = await get(gateway, '/console/state', { authorization: 'Bearer app-key' });
    assert.equal(app.status, 403);
    assert.match(((await app.json()) as any).error.message, /admin caller.*caller "app" is not one/);
    const ops = await get(gateway, '/console/state', { authorization: 'Bearer ops-key' });
    assert.equal(ops.status, 200);
    assert.equal(ops.headers.get('cache-control'), 'no-store');
    const state = (await ops.json()) as any;
    assert.deepEqual(Object.keys(state).sort(), ['activity', 'aliases', 'now', 'providers', 'recent', 'refreshSeconds', 'replica', 'series', 'state']);
    assert.equal(state.activity, 'local', "without Redis, this replica's own requests");
    assert.equal(state.state, 'local');
    assert.equal(state.series.minutes.length, 60);
    const ollamaState = state.providers.find((p: any) => p.name === 'ollama');
    assert.equal(ollamaState.local, true);
    assert.deepEqual(ollamaState.slots, { inFlight: 0, max: 16, queued: 0, maxQueue: 64 });
    const fastText = state.aliases.find((a: any) => a.name === 'mana/fast-text');
    assert.deepEqual(fastText.chain.map((e: any) => [e.entry, e.action, e.reason ?? null, e.first]), [
      ['ollama/gemma3:4b', 'answer', null, true],
      ['groq/llama-3.1-8b-instant', 'skip', 'unconfigured', false],
      ['google/gemini-2.5-flash', 'skip', 'unconfigured', false],
    ]);
  });

  test('a request shows in the data, without its prompt', async () => {
    const response = await fetch(`${gateway.baseURL}/chat/completions`, {
      method: 'POST',
      headers: { authorization: 'Bearer app-key', 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'mana/fast-text', messages: [{ role: 'user', content: 'PROMPT-console-route-55' }] }),
    });
    assert.equal(response.status, 200);
    await response.text();
    const body = await (await get(gateway, '/console/state', { authorization: 'Bearer ops-key' })).text();
    const state = JSON.parse(body);
    assert.equal(state.recent[0].caller, 'app');
    assert.equal(state.recent[0].resolved, 'ollama/gemma3:4b');
    assert.equal(state.series.requests.at(-1) >= 1, true);
    assert.ok(!body.includes('PROMPT-console-route-55'));
  });
});

test('without a callers file any key of the gateway reads the data', async () => {
  const gateway = await startTestGateway({ ...upstreamEnv({ ollama }), API_KEYS: 'k1,k2' });
  try {
    assert.equal((await get(gateway, '/console/state')).status, 401);
    assert.equal((await get(gateway, '/console/state', { authorization: 'Bearer k2' })).status, 200);
  } finally {
    await gateway.close();
  }
});
