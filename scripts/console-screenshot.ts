// Renders docs/console.png: the console of a gateway (default profile) in front of the protocol fakes,
// with three callers' traffic, and the GPU box gone for the last part, as an operator would see it at
// night. `npm run console:screenshot`; needs Chromium (Debian's package, or CHROMIUM_PATH).

import { launchBrowser } from '../test/helpers/browser.ts';
import { FakeGemini } from '../test/helpers/fake-gemini.ts';
import { FakeOllama } from '../test/helpers/fake-ollama.ts';
import { FakeOpenAI } from '../test/helpers/fake-openai.ts';
import { callersFile, startTestGateway, upstreamEnv } from '../test/helpers/test-gateway.ts';

const out = new URL('../docs/console.png', import.meta.url).pathname;
const ollama = new FakeOllama();
const groq = new FakeOpenAI();
const google = new FakeGemini({ apiKey: 'test-google-key-0123456789' });
await Promise.all([ollama.start(), groq.start(), google.start()]);
ollama.reply({ text: 'A short answer from the GPU box.', usage: { prompt: 220, completion: 90 } });
groq.reply({ text: 'A short answer from the cloud.', usage: { prompt: 240, completion: 110 } });
google.reply({ text: 'A short answer from Gemini.', usage: { prompt: 260, completion: 120 } });

const gateway = await startTestGateway({
  ...upstreamEnv({ ollama, groq, google }),
  CALLERS_PATH: callersFile(`callers:
  on-call: { keys: [ops-key], admin: true }
  chat-backend: { keys: [chat-key], priority: high }
  web-app: { keys: [web-key] }
  enrichment: { keys: [batch-key], priority: low }
`),
  CONSOLE_REFRESH_SECONDS: '1',
  HEALTH_PROBE_INTERVAL: '1',
  OLLAMA_PROBE_INTERVAL: '1',
  CIRCUIT_FAILURE_THRESHOLD: '1',
});
const send = async (key: string, model: string, stream: boolean) => {
  const response = await fetch(`${gateway.baseURL}/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model, stream, messages: [{ role: 'user', content: 'Summarize the ticket.' }] }),
  });
  await response.text();
};
const traffic: Array<[string, string, boolean]> = [
  ['chat-key', 'mana/fast-text', true],
  ['web-key', 'mana/fast-text', false],
  ['batch-key', 'mana/long-form', false],
  ['chat-key', 'mana/reasoning', true],
  ['web-key', 'mana/structured', false],
];
for (let i = 0; i < 25; i++) await send(...traffic[i % traffic.length]!);
await ollama.stop();
await new Promise((resolve) => setTimeout(resolve, 2500));
for (let i = 0; i < 12; i++) await send(...traffic[i % traffic.length]!);

const browser = await launchBrowser();
const page = await browser.newPage({ viewport: { width: 1360, height: 1280 }, colorScheme: 'light' });
await page.goto(gateway.baseURL.replace(/\/v1$/, '') + '/console');
await page.fill('#key-input', 'ops-key');
await page.click('#key-form button[type=submit]');
await page.locator('#recent tr[data-request]').first().waitFor();
await page.waitForTimeout(1500);
await page.screenshot({ path: out });
await browser.close();
await gateway.close();
await Promise.all([groq.stop(), google.stop()]);
console.log(`wrote ${out}`);
