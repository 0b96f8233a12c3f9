import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { hrTime } from '@opentelemetry/core';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtobufExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { OtlpReceiver, type ReceivedSpan } from './otlp-receiver.ts';

// The test receiver against the official OTLP/HTTP exporters, in-process: the span tree a request makes
// (a SERVER span with an event, a failed CLIENT span under it) decodes the same from protobuf and JSON,
// gzipped or not, with ids, kinds, attribute types and the resource intact; a refusing or stopped
// receiver fails exports the way a collector that is down does.

type ExporterOptions = NonNullable<ConstructorParameters<typeof ProtobufExporter>[0]>;
const GZIP = 'gzip' as NonNullable<ExporterOptions['compression']>;

const PROTOCOLS = {
  'http/protobuf': { make: (options: ExporterOptions) => new ProtobufExporter(options), contentType: 'application/x-protobuf' },
  'http/json': { make: (options: ExporterOptions) => new JsonExporter(options), contentType: 'application/json' },
} as const;
type Protocol = keyof typeof PROTOCOLS;

const receiver = new OtlpReceiver();
before(() => receiver.start());
after(() => receiver.stop());

function providerFor(exporter: SpanExporter): BasicTracerProvider {
  return new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'receiver-test', 'service.instance.id': 'replica-1' }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
}

/**
 * Ends a SERVER span with an event and a failed CLIENT child, flushes, and returns their ids. Every start
 * and end is given from one clock: the SDK's own default takes each span's start in whole milliseconds
 * of `Date.now()` and its end from the performance clock, so a child could seem to start before its parent.
 */
async function exportTree(provider: BasicTracerProvider): Promise<{ traceId: string; serverId: string; clientId: string }> {
  const tracer = provider.getTracer('receiver-test', '1.2.3');
  const server = tracer.startSpan('POST /v1/chat/completions', {
    kind: SpanKind.SERVER,
    startTime: hrTime(),
    attributes: { 'http.request.method': 'POST', 'http.route': '/v1/chat/completions', 'mana_llm.cache': false },
  }, ROOT_CONTEXT);
  server.addEvent('mana_llm.skip', { 'mana_llm.reason': 'circuit_open', 'gen_ai.request.model': 'ollama/gemma3:4b' });
  const client = tracer.startSpan('chat groq/llama-3.1-8b-instant', {
    kind: SpanKind.CLIENT,
    startTime: hrTime(),
    attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.request.temperature': 0.25, 'gen_ai.usage.input_tokens': 12, 'gen_ai.response.finish_reasons': ['stop', 'length'], 'test.ints': [3, 4] },
  }, trace.setSpan(ROOT_CONTEXT, server));
  client.setAttribute('error.type', 'upstream_timeout');
  client.setStatus({ code: SpanStatusCode.ERROR, message: 'upstream_timeout' });
  client.end(hrTime());
  server.setAttribute('http.response.status_code', 200);
  server.end(hrTime());
  await provider.forceFlush();
  return { traceId: server.spanContext().traceId, serverId: server.spanContext().spanId, clientId: client.spanContext().spanId };
}

async function receivedTree(protocol: Protocol, compression?: ExporterOptions['compression']): Promise<{ server: ReceivedSpan; client: ReceivedSpan; ids: Awaited<ReturnType<typeof exportTree>> }> {
  const provider = providerFor(PROTOCOLS[protocol].make({ url: `${receiver.url}/v1/traces`, compression }));
  try {
    const ids = await exportTree(provider);
    const spans = await receiver.waitFor((all) => all.filter((s) => s.traceId === ids.traceId).length === 2);
    const of = (spanId: string) => spans.find((s) => s.spanId === spanId)!;
    return { server: of(ids.serverId), client: of(ids.clientId), ids };
  } finally {
    await provider.shutdown();
  }
}

/** A span without what differs between two exports of the same tree (ids and times). */
function shape({ traceId, spanId, parentSpanId, startTimeUnixNano, endTimeUnixNano, ...rest }: ReceivedSpan) {
  return { ...rest, root: parentSpanId === '' };
}

for (const protocol of Object.keys(PROTOCOLS) as Protocol[]) {
  for (const compression of [undefined, GZIP]) {
    test(`${protocol}${compression ? ', gzipped' : ''}: the tree arrives with its ids, kinds, event, status and attribute types`, async () => {
      const before = Date.now();
      const { server, client, ids } = await receivedTree(protocol, compression);
      assert.equal(receiver.contentTypes.at(-1), PROTOCOLS[protocol].contentType);
      assert.equal(receiver.contentEncodings.at(-1), compression ? 'gzip' : '');

      assert.match(server.traceId, /^[0-9a-f]{32}$/);
      assert.equal(server.traceId, ids.traceId, 'the trace id as lowercase hex');
      assert.equal(server.spanId, ids.serverId);
      assert.equal(server.parentSpanId, '', 'a root span has no parent');
      assert.equal(client.traceId, ids.traceId);
      assert.equal(client.parentSpanId, ids.serverId, 'the child names its parent');

      assert.equal(server.kind, 'SERVER');
      assert.equal(client.kind, 'CLIENT');
      assert.equal(server.name, 'POST /v1/chat/completions');
      assert.deepEqual(server.attributes, { 'http.request.method': 'POST', 'http.route': '/v1/chat/completions', 'mana_llm.cache': false, 'http.response.status_code': 200 });
      assert.deepEqual(server.events, [{ name: 'mana_llm.skip', attributes: { 'mana_llm.reason': 'circuit_open', 'gen_ai.request.model': 'ollama/gemma3:4b' } }]);
      assert.deepEqual(server.status, { code: 'UNSET', message: '' });
      assert.deepEqual(client.attributes, {
        'gen_ai.operation.name': 'chat',
        'gen_ai.request.temperature': 0.25,
        'gen_ai.usage.input_tokens': 12,
        'gen_ai.response.finish_reasons': ['stop', 'length'],
        'test.ints': [3, 4],
        'error.type': 'upstream_timeout',
      });
      assert.deepEqual(client.status, { code: 'ERROR', message: 'upstream_timeout' });

      assert.deepEqual(server.resource, { 'service.name': 'receiver-test', 'service.instance.id': 'replica-1' });
      assert.equal(server.scope, 'receiver-test');
      assert.equal(typeof server.startTimeUnixNano, 'bigint');
      assert.ok(server.startTimeUnixNano >= BigInt(before - 1) * 1_000_000n, 'start in nanoseconds since the epoch');
      assert.ok(client.startTimeUnixNano >= server.startTimeUnixNano && client.endTimeUnixNano <= server.endTimeUnixNano, 'the child within its parent');
    });
  }
}

test('protobuf and JSON decode the same tree to the same spans', async () => {
  const proto = await receivedTree('http/protobuf');
  const json = await receivedTree('http/json');
  assert.deepEqual(shape(json.server), shape(proto.server));
  assert.deepEqual(shape(json.client), shape(proto.client));
});

describe('a collector that is down', () => {
  test('refusing with 503: the export is retried, then the flush reports the failure and the spans are lost; accepting again, the next export arrives', async () => {
    receiver.clear();
    receiver.failWith(503);
    const provider = providerFor(new ProtobufExporter({ url: `${receiver.url}/v1/traces`, timeoutMillis: 1500 }));
    try {
      await assert.rejects(exportTree(provider), 'the flush reports the failed export');
      assert.ok(receiver.refused >= 2, `503 is retryable: ${receiver.refused} tries`);
      assert.equal(receiver.spans.length, 0);
      receiver.failWith(undefined);
      const { traceId } = await exportTree(provider);
      await receiver.waitFor((all) => all.some((s) => s.traceId === traceId));
    } finally {
      receiver.failWith(undefined);
      await provider.shutdown();
    }
  });

  test('stopped: the export fails at once (connection refused, and no retry fits in the timeout) and the flush reports it', async () => {
    const gone = await new OtlpReceiver().start();
    const url = `${gone.url}/v1/traces`;
    await gone.stop();
    const provider = providerFor(new JsonExporter({ url, timeoutMillis: 500 }));
    try {
      const started = Date.now();
      await assert.rejects(exportTree(provider));
      assert.ok(Date.now() - started < 3000, `failed after ${Date.now() - started} ms`);
    } finally {
      await provider.shutdown().catch(() => {});
    }
  });
});

test('the receiver answers a body it cannot decode with 400 and other paths with 404, and keeps serving', async () => {
  const bad = await fetch(`${receiver.url}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body: new Uint8Array([0x0a, 0xff, 0xff, 0xff]) });
  assert.equal(bad.status, 400);
  const badJson = await fetch(`${receiver.url}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{not json' });
  assert.equal(badJson.status, 400);
  assert.equal((await fetch(`${receiver.url}/v1/metrics`, { method: 'POST', body: '' })).status, 404);
  const ok = await fetch(`${receiver.url}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  assert.equal(ok.status, 200);
  assert.deepEqual(await ok.json(), {}, 'an empty ExportTraceServiceResponse');
});

test('waitFor rejects past its timeout, naming the spans it has', async () => {
  receiver.clear();
  await receivedTree('http/json');
  await assert.rejects(receiver.waitFor((all) => all.length > 5, 100), /within 100 ms; it has: .*POST \/v1\/chat\/completions/);
});
