import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import { FakeOllama } from '../helpers/fake-ollama.ts';
import { FakeOpenAI } from '../helpers/fake-openai.ts';
import { OtlpReceiver, type ReceivedSpan } from '../helpers/otlp-receiver.ts';
import { postChat } from '../helpers/sse.ts';
import { aliasFile, startTestGateway, upstreamEnv, type TestGateway } from '../helpers/test-gateway.ts';

// Traces as a collector receives them from the official exporter, protobuf and JSON: the span tree of a
// plain request, of an alias walk with a skip and a failed attempt, of a stream and of embeddings; the
// caller's traceparent continued and the attempt's sent upstream; no prompt, answer or key unless asked.

const PROMPT = 'the secret prompt about the lighthouse';
const ANSWER = 'the secret answer about the lighthouse';
const GROQ_KEY = 'sk-test-groq-key-0123456789';
const CALLER_TRACE = '0af7651916cd43dd8448eb211c80319c';
const CALLER_SPAN = 'b7ad6b7169203331';

const ollama = new FakeOllama();
const groq = new FakeOpenAI();
const receiver = new OtlpReceiver();

async function gatewayWith(env: Record<string, string>): Promise<TestGateway> {
  return startTestGateway(
    {
      ...upstreamEnv({ ollama, groq }),
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_BSP_SCHEDULE_DELAY: '20',
      ALIASES_PATH: aliasFile('aliases:\n  mana/chain:\n    description: d\n    chain: [openai/gpt-4o-mini, ollama/gemma3:4b, groq/llama-3.1-8b-instant]\n'),
      ...env,
    },
    { captureLog: true },
  );
}

/** The request's trace, once its SERVER span and `clients` CLIENT spans arrived. */
async function traceOf(requestId: string, gateway: TestGateway, clients: number): Promise<{ server: ReceivedSpan; clients: ReceivedSpan[]; line: Record<string, any> }> {
  const line = await waitForLine(gateway, requestId);
  const childrenOf = (all: ReceivedSpan[]) => all.filter((s) => s.kind === 'CLIENT' && s.parentSpanId === line.span_id);
  const spans = await receiver.waitFor((all) => all.some((s) => s.spanId === line.span_id) && childrenOf(all).length >= clients);
  const server = spans.find((s) => s.kind === 'SERVER' && s.spanId === line.span_id)!;
  assert.equal(server.traceId, line.trace_id, 'the log line names the trace');
  return { server, clients: childrenOf(spans).sort((a, b) => Number(a.startTimeUnixNano - b.startTimeUnixNano)), line };
}

async function waitForLine(gateway: TestGateway, requestId: string): Promise<Record<string, any>> {
  for (let i = 0; i < 100; i++) {
    const line = gateway.logLines.find((l) => l.component === 'request' && l.requestId === requestId);
    if (line) return line;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`no request line for ${requestId}`);
}

before(async () => {
  await Promise.all([ollama.start(), groq.start(), receiver.start()]);
  ollama.reply({ text: ANSWER, usage: { prompt: 9, completion: 4 } });
  groq.reply({ text: ANSWER, usage: { prompt: 12, completion: 7 } });
});

after(async () => {
  await Promise.all([ollama.stop(), groq.stop(), receiver.stop()]);
});

for (const protocol of ['http/protobuf', 'http/json'] as const) {
  describe(`exported as ${protocol}`, () => {
    let gateway: TestGateway;
    before(async () => {
      gateway = await gatewayWith({ OTEL_EXPORTER_OTLP_PROTOCOL: protocol });
    });
    after(() => gateway.close());

    test('an alias request whose first entry is skipped and second fails: one trace shows the skip, the failure and the answer with tokens', async () => {
      ollama.fault({ path: '/api/chat', status: 503, message: 'GPU offline', times: 1 });
      const id = `chain-${protocol.slice(5)}`;
      const answer = await postChat(gateway.baseURL, { model: 'mana/chain', max_tokens: 50, messages: [{ role: 'user', content: PROMPT }] }, { 'x-request-id': id });
      assert.equal(answer.status, 200);
      const { server, clients, line } = await traceOf(id, gateway, 2);
      assert.equal(receiver.contentTypes.at(-1), protocol === 'http/json' ? 'application/json' : 'application/x-protobuf');
      assert.equal(server.name, 'POST /v1/chat/completions');
      assert.deepEqual(
        [server.attributes['http.request.method'], server.attributes['http.route'], server.attributes['http.response.status_code'], server.attributes['mana_llm.requested_model'], server.attributes['mana_llm.resolved_model'], server.attributes['mana_llm.caller'], server.attributes['mana_llm.cache']],
        ['POST', '/v1/chat/completions', 200, 'mana/chain', 'groq/llama-3.1-8b-instant', 'default', 'bypass'],
      );
      assert.deepEqual(server.events, [{ name: 'mana_llm.skip', attributes: { 'mana_llm.reason': 'unconfigured', 'gen_ai.request.model': 'openai/gpt-4o-mini' } }]);
      const [failed, answered] = clients;
      assert.equal(failed!.name, 'chat ollama/gemma3:4b');
      assert.deepEqual([failed!.status.code, failed!.attributes['error.type'], failed!.attributes['gen_ai.provider.name'], failed!.attributes['gen_ai.request.max_tokens']], ['ERROR', 'upstream_5xx', 'ollama', 50]);
      assert.equal(answered!.name, 'chat groq/llama-3.1-8b-instant');
      assert.deepEqual(
        [answered!.attributes['gen_ai.operation.name'], answered!.attributes['gen_ai.request.model'], answered!.attributes['gen_ai.usage.input_tokens'], answered!.attributes['gen_ai.usage.output_tokens'], answered!.attributes['gen_ai.response.finish_reasons'], answered!.status.code],
        ['chat', 'llama-3.1-8b-instant', 12, 7, ['stop'], 'UNSET'],
      );
      assert.equal(typeof answered!.attributes['gen_ai.response.model'], 'string');
      assert.equal(line.span_id, server.spanId, 'the log line names the request span');
      assert.equal(server.resource['service.name'], 'mana-llm');
    });

    test('the caller’s traceparent is continued, and each attempt’s goes upstream', async () => {
      const id = `propagate-${protocol.slice(5)}`;
      const seen = groq.requestsTo('/v1/chat/completions').length;
      await postChat(gateway.baseURL, { model: 'groq/llama-3.1-8b-instant', messages: [{ role: 'user', content: 'hi' }] }, { 'x-request-id': id, traceparent: `00-${CALLER_TRACE}-${CALLER_SPAN}-01` });
      const { server, clients } = await traceOf(id, gateway, 1);
      assert.equal(server.traceId, CALLER_TRACE);
      assert.equal(server.parentSpanId, CALLER_SPAN);
      const upstream = groq.requestsTo('/v1/chat/completions').slice(seen)[0]!;
      assert.equal(upstream.headers.traceparent, `00-${CALLER_TRACE}-${clients[0]!.spanId}-01`);
    });
  });
}

describe('streams, embeddings, the Responses API, privacy and a collector that is down', () => {
  let gateway: TestGateway;
  before(async () => {
    gateway = await gatewayWith({});
  });
  after(() => gateway.close());

  test('a stream’s attempt span ends with the stream and carries its first-token time', async () => {
    const id = 'stream-1';
    const answer = await postChat(gateway.baseURL, { model: 'gemma3:4b', stream: true, messages: [{ role: 'user', content: PROMPT }] }, { 'x-request-id': id });
    assert.equal(answer.status, 200);
    const { server, clients } = await traceOf(id, gateway, 1);
    const [attempt] = clients;
    assert.equal(attempt!.name, 'chat ollama/gemma3:4b');
    assert.ok(typeof attempt!.attributes['mana_llm.time_to_first_token_ms'] === 'number');
    assert.deepEqual([attempt!.attributes['gen_ai.usage.input_tokens'], attempt!.attributes['gen_ai.usage.output_tokens'], attempt!.attributes['gen_ai.response.finish_reasons']], [9, 4, ['stop']]);
    assert.ok(attempt!.endTimeUnixNano <= server.endTimeUnixNano);
    assert.ok(typeof server.attributes['mana_llm.time_to_first_token_ms'] === 'number');
  });

  test('embeddings are an `embeddings` attempt', async () => {
    const response = await fetch(`${gateway.baseURL}/embeddings`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': 'embed-1' }, body: JSON.stringify({ model: 'ollama/nomic-embed-text', input: PROMPT }) });
    assert.equal(response.status, 200);
    const { server, clients } = await traceOf('embed-1', gateway, 1);
    assert.equal(server.name, 'POST /v1/embeddings');
    assert.equal(clients[0]!.name, 'embeddings ollama/nomic-embed-text');
    assert.equal(clients[0]!.attributes['gen_ai.operation.name'], 'embeddings');
  });

  test('the Responses API through the openai client is one trace too', async () => {
    const client = new OpenAI({ baseURL: gateway.baseURL, apiKey: 'unused', defaultHeaders: { 'x-request-id': 'responses-1' } });
    await client.responses.create({ model: 'groq/llama-3.1-8b-instant', input: PROMPT, store: false });
    const { server, clients } = await traceOf('responses-1', gateway, 1);
    assert.equal(server.name, 'POST /v1/responses');
    assert.equal(clients[0]!.name, 'chat groq/llama-3.1-8b-instant');
  });

  test('no prompt, no answer and no key in anything exported', async () => {
    const exported = Buffer.concat(receiver.bodies).toString('latin1');
    assert.ok(exported.length > 0);
    for (const secret of [PROMPT, ANSWER, GROQ_KEY, 'lighthouse']) assert.equal(exported.includes(secret), false, `"${secret}" is not exported`);
  });

  test('a collector that refuses or is gone costs the requests nothing', async () => {
    receiver.failWith(503);
    for (let i = 0; i < 5; i++) assert.equal((await postChat(gateway.baseURL, { model: 'gemma3:4b', messages: [{ role: 'user', content: 'hi' }] })).status, 200);
    receiver.failWith(undefined);
    const down = new OtlpReceiver();
    await down.start();
    const url = down.url;
    await down.stop();
    const orphan = await startTestGateway({ ...upstreamEnv({ ollama }), OTEL_EXPORTER_OTLP_ENDPOINT: url, OTEL_BSP_SCHEDULE_DELAY: '10' });
    try {
      const started = Date.now();
      for (let i = 0; i < 5; i++) assert.equal((await postChat(orphan.baseURL, { model: 'gemma3:4b', messages: [{ role: 'user', content: 'hi' }] })).status, 200);
      assert.ok(Date.now() - started < 2000, 'answers do not wait for the collector');
    } finally {
      await orphan.close();
    }
  });
});

test('content is recorded when the operator asks for it', async () => {
  const gateway = await gatewayWith({ OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: 'true' });
  try {
    await postChat(gateway.baseURL, { model: 'groq/llama-3.1-8b-instant', messages: [{ role: 'user', content: PROMPT }] }, { 'x-request-id': 'capture-1' });
    const { clients } = await traceOf('capture-1', gateway, 1);
    assert.match(String(clients[0]!.attributes['gen_ai.input.messages']), /the secret prompt/);
    assert.match(String(clients[0]!.attributes['gen_ai.output.messages']), /the secret answer/);
  } finally {
    await gateway.close();
  }
});
