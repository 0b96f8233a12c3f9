import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { AttemptEndEvent, AttemptStartEvent, FallbackEvent } from '../../core/contracts/events.ts';
import { FakeGemini } from '../helpers/fake-gemini.ts';
import { FakeOllama } from '../helpers/fake-ollama.ts';
import { FakeOpenAI } from '../helpers/fake-openai.ts';
import { postChat } from '../helpers/sse.ts';
import { aliasFile, startTestGateway, upstreamEnv, type TestGateway } from '../helpers/test-gateway.ts';

// The attempt events observers build on (a trace's CLIENT spans): a start and an end per attempt with what
// the answer said of itself, none for a skipped entry, the headers a listener adds sent upstream by every
// provider plugin for chat, streams and embeddings, and trace ids a listener gives a request in its log line.

const ollama = new FakeOllama();
const groq = new FakeOpenAI();
const google = new FakeGemini({ apiKey: 'test-google-key-0123456789' });
let gateway: TestGateway;
const starts: AttemptStartEvent[] = [];
const ends: AttemptEndEvent[] = [];
const fallbacks: FallbackEvent[] = [];

before(async () => {
  await Promise.all([ollama.start(), groq.start(), google.start()]);
  gateway = await startTestGateway(
    {
      ...upstreamEnv({ ollama, groq, google }),
      ALIASES_PATH: aliasFile(
        'aliases:\n  mana/chain:\n    description: d\n    chain: [openai/gpt-4o-mini, ollama/gemma3:4b, groq/llama-3.1-8b-instant]\n',
      ),
    },
    { captureLog: true },
  );
  const { events } = gateway.services;
  events.on('request.start', (e) => {
    if (e.requestId.startsWith('traced-')) e.trace = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331' };
  });
  events.on('attempt.start', (e) => {
    starts.push(e);
    e.upstreamHeaders.traceparent = `00-0af7651916cd43dd8448eb211c80319c-${String(e.attempt).padStart(16, '0')}-01`;
  });
  events.on('attempt.end', (e) => ends.push(e));
  events.on('fallback', (e) => fallbacks.push(e));
});

after(async () => {
  await gateway.close();
  await Promise.all([ollama.stop(), groq.stop(), google.stop()]);
});

const forRequest = <T extends { requestId: string }>(list: T[], id: string) => list.filter((e) => e.requestId === id);

test('a skip has no attempt; a failed attempt ends with its reason; the answering one with its usage and finish', async () => {
  ollama.fault({ path: '/api/chat', status: 503, message: 'GPU offline', times: 1 });
  groq.reply({ text: 'from groq', usage: { prompt: 11, completion: 3 } });
  const answer = await postChat(gateway.baseURL, { model: 'mana/chain', messages: [{ role: 'user', content: 'hi' }], max_tokens: 20 }, { 'x-request-id': 'chain-1' });
  assert.equal(answer.status, 200);
  assert.deepEqual(forRequest(fallbacks, 'chain-1').map((f) => [f.from, f.reason]), [['openai/gpt-4o-mini', 'unconfigured'], ['ollama/gemma3:4b', 'upstream_5xx']]);
  assert.deepEqual(forRequest(starts, 'chain-1').map((s) => [s.attempt, s.resolved, s.operation, s.stream]), [[1, 'ollama/gemma3:4b', 'chat', false], [2, 'groq/llama-3.1-8b-instant', 'chat', false]]);
  const [failed, answered] = forRequest(ends, 'chain-1');
  assert.deepEqual([failed!.attempt, failed!.ok, failed!.errorType], [1, false, 'upstream_5xx']);
  assert.deepEqual([answered!.attempt, answered!.ok, answered!.usage?.prompt_tokens, answered!.usage?.completion_tokens, answered!.finishReasons], [2, true, 11, 3, ['stop']]);
});

test('a stream’s attempt ends when the stream does, with its first-token time and finish reason', async () => {
  const answer = await postChat(gateway.baseURL, { model: 'groq/llama-3.1-8b-instant', stream: true, messages: [{ role: 'user', content: 'hi' }] }, { 'x-request-id': 'stream-1' });
  assert.equal(answer.status, 200);
  const [end] = forRequest(ends, 'stream-1');
  assert.equal(end?.ok, true);
  assert.deepEqual(end?.finishReasons, ['stop']);
  assert.ok(typeof end?.ttftMs === 'number' && end.ttftMs >= 0);
  assert.ok(end?.usage, 'the stream’s usage');
});

test('every provider plugin sends the headers a listener added, for chat, streams and embeddings', async () => {
  const cases: Array<[string, string, () => unknown[]]> = [
    ['ollama chat', 'ollama/gemma3:4b', () => ollama.requestsTo('/api/chat')],
    ['groq chat', 'groq/llama-3.1-8b-instant', () => groq.requestsTo('/v1/chat/completions')],
    ['google chat', 'google/gemini-2.5-flash', () => google.requestsTo('/v1beta/models/gemini-2.5-flash:')],
  ];
  for (const [name, model, requests] of cases) {
    for (const stream of [false, true]) {
      const before = requests().length;
      const answer = await postChat(gateway.baseURL, { model, stream, messages: [{ role: 'user', content: 'hi' }] });
      assert.equal(answer.status, 200, `${name} stream=${stream}`);
      const sent = requests().slice(before) as Array<{ headers: Record<string, string> }>;
      assert.equal(sent.length, 1, `${name} stream=${stream}: one upstream request`);
      assert.match(sent[0]!.headers.traceparent ?? '', /^00-0af7651916cd43dd8448eb211c80319c-0{15}1-01$/, `${name} stream=${stream}`);
    }
  }
  for (const [model, path, fake] of [['ollama/nomic-embed-text', '/api/embed', ollama], ['groq/nomic-embed', '/v1/embeddings', groq], ['google/gemini-embedding-001', '/v1beta/models/', google]] as const) {
    const before = fake.requestsTo(path).length;
    const response = await fetch(`${gateway.baseURL}/embeddings`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model, input: 'hello' }) });
    assert.equal(response.status, 200, `${model}: ${await response.clone().text()}`);
    const sent = fake.requestsTo(path).slice(before);
    assert.ok(sent.length >= 1, `${model}: an upstream request`);
    assert.match(String(sent.at(-1)!.headers.traceparent), /^00-0af7651916cd43dd8448eb211c80319c-/, model);
  }
  assert.ok(starts.some((s) => s.operation === 'embeddings'));
});

test('trace ids a listener gives a request reach its log line; none without', async () => {
  await postChat(gateway.baseURL, { model: 'gemma3:4b', messages: [{ role: 'user', content: 'hi' }] }, { 'x-request-id': 'traced-1' });
  await postChat(gateway.baseURL, { model: 'gemma3:4b', messages: [{ role: 'user', content: 'hi' }] }, { 'x-request-id': 'plain-1' });
  await new Promise((resolve) => setTimeout(resolve, 20));
  const line = (id: string) => gateway.logLines.find((l) => l.component === 'request' && l.requestId === id)!;
  assert.equal(line('traced-1').trace_id, '0af7651916cd43dd8448eb211c80319c');
  assert.equal(line('traced-1').span_id, 'b7ad6b7169203331');
  assert.equal(line('plain-1').trace_id, null);
});
