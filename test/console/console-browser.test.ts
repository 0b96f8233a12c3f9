import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../helpers/browser.ts';
import { FakeOllama } from '../helpers/fake-ollama.ts';
import { FakeOpenAI } from '../helpers/fake-openai.ts';
import { callersFile, startTestGateway, upstreamEnv, type TestGateway } from '../helpers/test-gateway.ts';

// The console in a real headless Chromium against a gateway and the protocol fakes: the key it asks
// for, what it shows, how it changes when the GPU box goes away and when the gateway does, that it loads
// nothing from another origin and raises no errors, and that no prompt, answer or key ever reaches it.

const PROMPT = 'PROMPT-lighthouse-keeper-7731';
const ANSWER = 'ANSWER-lighthouse-keeper-7731';
const ADMIN_KEY = 'admin-key-console-0001';
const CHAT_KEY = 'chat-key-console-0002';
const CALLERS = `
callers:
  on-call:
    keys: [${ADMIN_KEY}]
    admin: true
  chat-backend:
    keys: [${CHAT_KEY}]
`;

const ollama = new FakeOllama();
const groq = new FakeOpenAI();
let gateway: TestGateway;
let origin: string;
let browser: Browser;
let page: Page;
const requested: string[] = [];
const pageErrors: string[] = [];
const consoleMessages: string[] = [];
const bytesLoaded = new Map<string, number>();

async function chat(key: string, stream: boolean): Promise<void> {
  const response = await fetch(`${gateway.baseURL}/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'mana/fast-text', stream, messages: [{ role: 'user', content: PROMPT }] }),
  });
  await response.text();
  assert.equal(response.status, 200);
}

/** Waits until `check` holds on the page (polled), failing with what it last saw. */
async function eventually(what: string, check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the page never showed ${what}; it shows:\n${await page.locator('body').innerText()}`);
}

const text = (selector: string) => page.locator(selector).first().innerText();

before(async () => {
  await Promise.all([ollama.start(), groq.start()]);
  ollama.reply({ text: ANSWER, usage: { prompt: 9, completion: 4 } });
  groq.reply({ text: ANSWER, usage: { prompt: 12, completion: 7 } });
  gateway = await startTestGateway({
    ...upstreamEnv({ ollama, groq }),
    CALLERS_PATH: callersFile(CALLERS),
    CONSOLE_REFRESH_SECONDS: '1',
    HEALTH_PROBE_INTERVAL: '1',
    OLLAMA_PROBE_INTERVAL: '1',
    CIRCUIT_FAILURE_THRESHOLD: '1',
  });
  origin = gateway.baseURL.replace(/\/v1$/, '');
  await chat(CHAT_KEY, false);
  await chat(CHAT_KEY, true);
  await chat(ADMIN_KEY, false);

  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  page.on('request', (request) => requested.push(request.url()));
  page.on('pageerror', (err) => pageErrors.push(String(err)));
  page.on('console', (message) => consoleMessages.push(`${message.type()}: ${message.text()}`));
  page.on('response', async (response) => {
    try {
      bytesLoaded.set(new URL(response.url()).pathname, (await response.body()).length);
    } catch {
      // A response without a body (a redirect, a 304) weighs nothing.
    }
  });
});

after(async () => {
  await browser?.close();
  await gateway?.close().catch(() => undefined);
  await Promise.all([ollama.stop(), groq.stop()]);
});

test('the page asks for a key, refuses one that is not an admin caller, and shows the gateway for one that is', async () => {
  await page.goto(`${origin}/console`);
  await page.locator('#key-form').waitFor({ state: 'visible' });
  assert.match(await text('#key-reason'), /needs an API key/);

  await page.fill('#key-input', CHAT_KEY);
  await page.click('#key-form button[type=submit]');
  await eventually('the refusal of a non-admin key', async () => /admin caller/.test(await text('#key-reason')));
  assert.equal(await page.locator('#content').isVisible(), false, 'nothing is shown to a non-admin caller');

  await page.fill('#key-input', ADMIN_KEY);
  await page.click('#key-form button[type=submit]');
  await page.locator('#providers tbody tr[data-provider=ollama]').waitFor();
  assert.equal(await page.evaluate(() => sessionStorage.getItem('mana-llm-console-key')), ADMIN_KEY, 'the key is kept in the tab');
});

test('it shows providers, what each alias entry would do, usage per caller and the last requests', async () => {
  assert.match(await text('#providers tr[data-provider=ollama]'), /healthy/);
  assert.match(await text('#providers tr[data-provider=ollama]'), /local/);
  assert.match(await text('#providers tr[data-provider=google]'), /unconfigured/);
  assert.match(await text('#overall'), /all 2 providers healthy/);

  const fastText = page.locator('[data-alias="mana/fast-text"]');
  assert.equal(await fastText.locator('[data-entry="ollama/gemma3:4b"]').getAttribute('data-action'), 'answers');
  assert.equal(await fastText.locator('[data-entry="groq/llama-3.1-8b-instant"]').getAttribute('data-action'), 'stands-by');
  assert.match(await fastText.locator('[data-entry="google/gemini-2.5-flash"]').innerText(), /skips: unconfigured/);

  await eventually('both callers in the usage table', async () => (await page.locator('#usage tr[data-caller]').count()) === 2);
  assert.match(await text('#usage tr[data-caller=chat-backend]'), /^chat-backend\s+2\s+18\s+8\s/);
  assert.match(await text('#usage tr[data-caller=on-call]'), /^on-call\s+1\s+9\s+4\s/);

  assert.equal(await page.locator('#recent tr[data-request]').count(), 3);
  assert.match(await text('#recent tr[data-request]'), /on-call\s+mana\/fast-text → ollama\/gemma3:4b\s+200/);
  assert.equal(await page.locator('#chart-requests canvas').count(), 1, 'the requests chart is drawn');
  assert.match(await text('#updated'), /refreshes every 1 s/);
});

test('when the GPU box goes away the page shows it out, and its alias entries skipped, within seconds', async () => {
  await ollama.stop();
  const startedAt = Date.now();
  await eventually('ollama out', async () => /out/.test(await text('#providers tr[data-provider=ollama]')));
  const shownAfter = Date.now() - startedAt;
  assert.ok(shownAfter < 5000, `shown after ${shownAfter} ms`);
  assert.match(await text('#overall'), /1 of 2 providers out: ollama/);
  const fastText = page.locator('[data-alias="mana/fast-text"]');
  await eventually('the alias walk moved on', async () => (await fastText.locator('[data-entry="groq/llama-3.1-8b-instant"]').getAttribute('data-action')) === 'answers');
  assert.match(await fastText.locator('[data-entry="ollama/gemma3:4b"]').innerText(), /skips: circuit_open/);

  // A request now falls back; the page lists it with the entry it skipped.
  await chat(CHAT_KEY, true);
  await eventually('the fallback in the last requests', async () => /mana\/fast-text → groq\/llama-3.1-8b-instant[\s\S]*ollama\/gemma3:4b: circuit_open/.test(await text('#recent tbody tr')));
});

test('nothing came from another origin, no page error, no blocked resource, and under 150 KB in all', async () => {
  const foreign = requested.filter((url) => new URL(url).origin !== origin);
  assert.deepEqual(foreign, [], 'every request went to the gateway itself');
  assert.deepEqual(pageErrors, []);
  assert.deepEqual(consoleMessages.filter((m) => /Content Security Policy|Refused to/i.test(m)), [], 'the page runs under its own CSP');
  const assets = [...bytesLoaded].filter(([path]) => path.startsWith('/console') && path !== '/console/state');
  assert.equal(assets.length, 5, `the page and its four assets: ${assets.map(([p]) => p).join(', ')}`);
  const total = assets.reduce((sum, [, bytes]) => sum + bytes, 0);
  assert.ok(total < 150 * 1024, `the page weighs ${total} bytes`);
});

test('no prompt, answer or key ever reaches the page', async () => {
  const html = await page.content();
  for (const secret of [PROMPT, ANSWER, CHAT_KEY, 'sk-test-groq-key']) assert.ok(!html.includes(secret), `the page holds ${secret}`);
  const state = await page.evaluate(async (key) => (await fetch('/console/state', { headers: { Authorization: `Bearer ${key}` } })).text(), ADMIN_KEY);
  for (const secret of [PROMPT, ANSWER, ADMIN_KEY, CHAT_KEY, 'sk-test-groq-key']) assert.ok(!state.includes(secret), `the data route holds ${secret}`);
});

test('when the gateway cannot be reached the page says so, and keeps what it last showed', async () => {
  await gateway.close();
  await eventually('the unreachable banner', async () => (await page.locator('#banner').isVisible()) && /Cannot reach the gateway since/.test(await text('#banner')));
  assert.ok(await page.locator('#providers tr[data-provider=ollama]').isVisible(), 'the last state stays on the page');
});
