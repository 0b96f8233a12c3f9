import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { PROJECT_ROOT, startGateway } from '../../core/gateway.ts';
import { FakeOllama } from '../helpers/fake-ollama.ts';
import { FakeOpenAI } from '../helpers/fake-openai.ts';
import { scrapeMetrics } from '../helpers/metrics-scrape.ts';
import { postChat } from '../helpers/sse.ts';
import { aliasFile, startTestGateway, upstreamEnv, type TestGateway } from '../helpers/test-gateway.ts';

// /metrics is often scraped by a Prometheus many people can query: neither the gateway's provider keys
// nor a caller's key may reach it, whatever the traffic — also when an upstream echoes a key in an error.
// And the scraper need not hold a caller's key: the plugin's `token` option gives it one of its own.

const CALLER_KEY = 'caller-secret-key-9876543210abcdef';
const ollama = new FakeOllama({ knownModels: true });
// Each fake insists on the key upstreamEnv gives its provider, as the real APIs do.
const groq = new FakeOpenAI({ apiKey: 'sk-test-groq-key-0123456789', rejectUnknownModels: true });
// This one takes the gateway's key at start (its first probe passes), then expects another: the key was
// revoked, and the gateway's is rejected and echoed back, masked, as OpenAI does.
const openrouter = new FakeOpenAI({ rejectUnknownModels: true });
let gateway: TestGateway;
let env: Record<string, string>;
const auth = { authorization: `Bearer ${CALLER_KEY}` };

before(async () => {
  await ollama.start();
  await groq.start();
  await openrouter.start();
  env = upstreamEnv({ ollama, groq, openrouter });
  gateway = await startTestGateway({
    ...env,
    API_KEYS: CALLER_KEY,
    ALIASES_PATH: aliasFile('aliases:\n  mana/chain:\n    description: d\n    chain: [groq/gpt-4o-mini, openrouter/gpt-4o-mini]\n'),
    CIRCUIT_FAILURE_THRESHOLD: '1000',
  });
  openrouter.apiKey = 'sk-some-other-key-000000000';
});

after(async () => {
  await gateway.close();
  await ollama.stop();
  await groq.stop();
  await openrouter.stop();
});

test('no provider key and no caller key appears in /metrics', async () => {
  const secrets = [CALLER_KEY, env.GROQ_API_KEY!, env.OPENROUTER_API_KEY!];
  assert.ok(secrets.every((s) => s && s.length > 20), 'the keys under test are set');

  const calls: Array<[string, Record<string, unknown>, Record<string, string>, number]> = [
    ['a success', { model: 'groq/gpt-4o-mini' }, auth, 200],
    ['a stream', { model: 'groq/gpt-4o-mini', stream: true }, auth, 200],
    ['a provider that rejects the gateway\'s key', { model: 'openrouter/gpt-4o-mini' }, auth, 502],
    ['models named after the keys', { model: `groq/${CALLER_KEY}` }, auth, 404],
    ['', { model: `nope-${env.GROQ_API_KEY}` }, auth, 404],
    ['', { model: env.OPENROUTER_API_KEY }, auth, 404],
    ['the caller key as request id', { model: 'gemma3:4b' }, { ...auth, 'x-request-id': CALLER_KEY }, 200],
    ['a wrong caller key', { model: 'gemma3:4b' }, { authorization: `Bearer ${env.GROQ_API_KEY}` }, 401],
    ['a key in X-API-Key', { model: 'gemma3:4b' }, { 'x-api-key': CALLER_KEY }, 200],
  ];
  for (const [what, body, headers, status] of calls) {
    const answer = await postChat(gateway.baseURL, { messages: [{ role: 'user', content: 'hi' }], ...body }, headers);
    assert.equal(answer.status, status, `${what} ${JSON.stringify(answer.events[0])}`);
  }
  // An upstream error whose message quotes the gateway's key, on the first entry of a chain; the second
  // entry rejects the gateway's key (and echoes it masked), so the chain runs out.
  groq.fault({ path: '/v1/chat', status: 500, message: `upstream failed for key ${env.GROQ_API_KEY}`, times: 1 });
  assert.equal((await postChat(gateway.baseURL, { model: 'mana/chain', messages: [{ role: 'user', content: 'hi' }] }, auth)).status, 503);

  const metrics = await scrapeMetrics(gateway.url, auth);
  // The traffic is in the exposition, so an empty one cannot pass this test.
  assert.match(metrics.text, /mana_llm_fallback_total\{from_model="groq\/gpt-4o-mini",to_model="openrouter\/gpt-4o-mini",reason="upstream_5xx"\} 1/);
  assert.match(metrics.text, /mana_llm_fallback_total\{from_model="openrouter\/gpt-4o-mini",to_model="none",reason="provider_auth_error"\} 1/);
  assert.match(metrics.text, /mana_llm_request_duration_seconds_count\{provider="openrouter",model="other",status="502"\} 1/);
  for (const secret of secrets) {
    assert.equal(metrics.text.includes(secret), false, `${secret.slice(0, 8)}… is not in /metrics`);
    // Nor the part a masked echo keeps, nor the key's distinctive middle.
    assert.equal(metrics.text.includes(secret.slice(-12)), false, `the end of ${secret.slice(0, 8)}… is not in /metrics`);
  }
  assert.doesNotMatch(metrics.text, /test-groq-key|test-openrouter-key|caller-secret|sk-te\*/);
});

test('without a scrape token /metrics needs a gateway key, like every other route', async () => {
  assert.equal((await fetch(`${gateway.url}/metrics`)).status, 401);
  assert.equal((await fetch(`${gateway.url}/metrics`, { headers: auth })).status, 200);
});

test('with a scrape token /metrics takes that token and nothing else, and the token stays out of the exposition', async () => {
  const token = 'metrics-scrape-token-5555aaaa';
  const root = mkdtempSync(join(tmpdir(), 'mana-llm-metrics-token-'));
  mkdirSync(join(root, 'config'));
  writeFileSync(
    join(root, 'config', 'scrape-token.yaml'),
    [
      'routing:',
      '  unprefixedProvider: ollama',
      'plugins:',
      `  - use: ${join(PROJECT_ROOT, 'plugins/ollama')}`,
      '    name: ollama',
      '    options:',
      '      baseUrl: ${OLLAMA_URL}',
      `  - use: ${join(PROJECT_ROOT, 'plugins/prometheus')}`,
      '    name: prometheus',
      '    options:',
      '      token: ${METRICS_TOKEN:-}',
      '',
    ].join('\n'),
  );
  const tokenGateway = await startGateway({
    root,
    env: {
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'silent',
      HEALTH_PROBE_INTERVAL: '3600',
      MANA_LLM_PROFILE: 'scrape-token',
      OLLAMA_URL: ollama.url,
      ALIASES_PATH: aliasFile('aliases:\n  mana/local:\n    description: d\n    chain: [ollama/gemma3:4b]\n'),
      API_KEYS: CALLER_KEY,
      METRICS_TOKEN: token,
    },
  });
  try {
    const scrape = (headers: Record<string, string>) => fetch(`${tokenGateway.url}/metrics`, { headers });
    const denied = await scrape({});
    assert.equal(denied.status, 401);
    assert.equal(((await denied.json()) as { error: { code: string } }).error.code, 'unauthorized');
    assert.equal((await scrape(auth)).status, 401, 'a caller key does not open the metrics');
    assert.equal((await scrape({ authorization: `Bearer ${token}x` })).status, 401);
    assert.equal((await fetch(`${tokenGateway.url}/v1/models`, { headers: { authorization: `Bearer ${token}` } })).status, 401, 'the token opens nothing else');

    const answer = await postChat(`${tokenGateway.url}/v1`, { model: 'gemma3:4b', messages: [{ role: 'user', content: 'hi' }] }, auth);
    assert.equal(answer.status, 200);
    const metrics = await scrapeMetrics(tokenGateway.url, { authorization: `Bearer ${token}` });
    assert.match(metrics.text, /mana_llm_llm_requests_total\{provider="ollama",model="gemma3:4b"\} 1/);
    assert.equal(metrics.text.includes(token), false);
    assert.equal(metrics.text.includes(CALLER_KEY), false);
  } finally {
    await tokenGateway.close();
  }
});
