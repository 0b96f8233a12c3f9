import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { FakeOllama } from '../helpers/fake-ollama.ts';
import { FakeOpenAI } from '../helpers/fake-openai.ts';
import { deltas, labelValuesOf, scrapeMetrics, seriesOf, type Exposition } from '../helpers/metrics-scrape.ts';
import { aliasFile, startTestGateway, upstreamEnv, type TestGateway } from '../helpers/test-gateway.ts';

// A caller names the model of every request. If model names became label values as they are, one
// script could create a million series and take Prometheus down: 1,000 requests naming random unknown
// models must add no series and no label value, only count under the fixed `other`.

const TOTAL = 1000;
const CONCURRENCY = 20;
/** The plugin's own families; process metrics (GC kinds appear as collections happen) are checked apart. */
const GATEWAY_FAMILIES = /^mana_llm_(?!process_|nodejs_)/;

// Real Ollama and OpenAI answer 404 for a model they do not have; the fakes do so with these switches.
const ollama = new FakeOllama({ knownModels: true });
const groq = new FakeOpenAI({ rejectUnknownModels: true });
let gateway: TestGateway;

interface Call {
  path: 'chat/completions' | 'embeddings';
  body: Record<string, unknown>;
  status: number;
}

/** One request of each kind; `id` makes its model name one nobody has used before. */
const kinds: Array<(id: string) => Call> = [
  (id) => ({ path: 'chat/completions', body: { model: `nope-${id}`, messages: [{ role: 'user', content: 'x' }] }, status: 404 }),
  (id) => ({ path: 'chat/completions', body: { model: `groq/${id}`, stream: true, messages: [{ role: 'user', content: 'x' }] }, status: 404 }),
  // A provider of the profile without its key: skipped, so the chain ends in a 503 and a fallback to `none`.
  (id) => ({ path: 'chat/completions', body: { model: `together/${id}`, messages: [{ role: 'user', content: 'x' }] }, status: 503 }),
  // A model Ollama does not have: model_not_found from its /api/show, not a capability guess.
  (id) => ({ path: 'embeddings', body: { model: `nope-${id}`, input: 'x' }, status: 404 }),
  (id) => ({ path: 'chat/completions', body: { model: `mana/${id}`, messages: [{ role: 'user', content: 'x' }] }, status: 404 }),
];

async function send(call: Call): Promise<void> {
  const response = await fetch(`${gateway.baseURL}/${call.path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(call.body),
  });
  const text = await response.text();
  assert.equal(response.status, call.status, `${String(call.body.model)}: ${text}`);
}

/** Runs `calls` with at most `limit` in flight. */
async function pool(calls: Call[], limit: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < calls.length) await send(calls[next++]!);
  };
  await Promise.all(Array.from({ length: limit }, worker));
}

before(async () => {
  await ollama.start();
  await groq.start();
  gateway = await startTestGateway({
    ...upstreamEnv({ ollama, groq }),
    ALIASES_PATH: aliasFile('aliases:\n  mana/chain:\n    description: d\n    chain: [ollama/gemma3:4b, groq/gpt-4o-mini]\n'),
  });
});

after(async () => {
  await gateway.close();
  await ollama.stop();
  await groq.stop();
});

test(`${TOTAL} requests naming random unknown models add no series and no label value`, async () => {
  // Warm-up: known models served, and one request of each unknown kind, so that `other` and the error
  // statuses exist before the count starts.
  await pool(
    [
      { path: 'chat/completions', body: { model: 'gemma3:4b', messages: [{ role: 'user', content: 'x' }] }, status: 200 },
      { path: 'chat/completions', body: { model: 'groq/gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'x' }] }, status: 200 },
      { path: 'chat/completions', body: { model: 'mana/chain', messages: [{ role: 'user', content: 'x' }] }, status: 200 },
      ...kinds.map((kind) => kind(randomUUID())),
    ],
    1,
  );
  const before = await scrapeMetrics(gateway.url);

  const ids = Array.from({ length: TOTAL }, () => randomUUID());
  await pool(ids.map((id, i) => kinds[i % kinds.length]!(id)), CONCURRENCY);
  const after = await scrapeMetrics(gateway.url);

  assert.deepEqual(difference(seriesOf(after, 'mana_llm_'), seriesOf(before, 'mana_llm_'), GATEWAY_FAMILIES), [], 'no new series');
  assert.deepEqual(newLabelValues(before, after), [], 'no new label value in any mana_llm_ metric');
  const leaked = ids.filter((id) => after.text.includes(id));
  assert.deepEqual(leaked, [], 'no requested name reached the exposition');

  // They were counted, all under the fixed `other`.
  const perKind = TOTAL / kinds.length;
  assert.deepEqual(
    deltas(before, after, [
      ['mana_llm_llm_requests_total', { provider: 'ollama', model: 'other' }],
      ['mana_llm_llm_requests_total', { provider: 'groq', model: 'other' }],
      ['mana_llm_llm_requests_total', { provider: 'together', model: 'other' }],
      ['mana_llm_request_duration_seconds_count', { provider: 'ollama', model: 'other', status: '404' }],
      ['mana_llm_request_duration_seconds_count', { provider: 'ollama', model: 'other', status: '400' }],
      ['mana_llm_request_duration_seconds_count', { provider: 'groq', model: 'other', status: '404' }],
      ['mana_llm_request_duration_seconds_count', { provider: 'together', model: 'other', status: '503' }],
      ['mana_llm_fallback_total', { from_model: 'other', to_model: 'none', reason: 'unconfigured' }],
      ['mana_llm_requests_in_flight', {}],
    ]),
    // Ollama's 404s: the unknown chat model and the unknown embedding model.
    [2 * perKind, perKind, perKind, 2 * perKind, 0, perKind, perKind, perKind, 0],
  );
});

/** Series of `after` not in `before`, among the families `only` matches. */
function difference(after: Set<string>, before: Set<string>, only: RegExp): string[] {
  return [...after].filter((s) => only.test(s) && !before.has(s));
}

/** `family:label=value` for every label value of a mana_llm_ metric that `before` did not have. */
function newLabelValues(before: Exposition, after: Exposition): string[] {
  const known = labelValuesOf(before, 'mana_llm_');
  const added: string[] = [];
  for (const [key, values] of labelValuesOf(after, 'mana_llm_')) {
    // A GC kind or a bucket bound is not a caller's doing; every other label must stay as it was.
    if (/^mana_llm_nodejs_gc_duration_seconds:kind$|:le$/.test(key)) continue;
    for (const value of values) if (!known.get(key)?.has(value)) added.push(`${key}=${value}`);
  }
  return added;
}
