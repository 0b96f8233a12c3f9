import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type Sampler } from '@opentelemetry/sdk-trace-base';
import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import type { AttemptStartEvent, RequestEndEvent, RequestStartEvent } from '../../core/index.ts';
import { createEventBus } from '../../core/events/event-bus.ts';
import { traceRequests } from './request-spans.ts';
import { samplerOf } from './tracer-provider.ts';

// The span tree the plugin makes of the core's events, read back from the SDK's in-memory exporter.

function setup(captureContent = false, sampler?: Sampler) {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ sampler, spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const events = createEventBus((_e, err) => {
    throw err;
  });
  const stop = traceRequests(events, provider.getTracer('test'), new W3CTraceContextPropagator(), captureContent);
  return { events, exporter, stop };
}

const startOf = (over: Partial<RequestStartEvent> = {}): RequestStartEvent => ({ requestId: 'r1', route: 'chat', requestedModel: 'mana/chain', stream: false, ...over });
const endOf = (over: Partial<RequestEndEvent> = {}): RequestEndEvent =>
  ({ requestId: 'r1', route: 'chat', requestedModel: 'mana/chain', stream: false, caller: 'app', requestedProvider: 'alias', status: 200, durationMs: 3, attempts: [], clientAborted: false, ...over }) as RequestEndEvent;
const attemptOf = (attempt: number, resolved: string): AttemptStartEvent => ({
  requestId: 'r1',
  attempt,
  operation: 'chat',
  provider: resolved.split('/')[0]!,
  model: resolved.split('/')[1]!,
  resolved,
  stream: false,
  upstreamHeaders: {},
});

test('a chain walk: a skip as an event, a failed attempt, the answering one, under one SERVER span', () => {
  const { events, exporter } = setup();
  const start = startOf({ traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01', maxTokens: 20 });
  events.emit('request.start', start);
  assert.equal(start.trace?.traceId, '0af7651916cd43dd8448eb211c80319c', 'the caller’s trace continues');
  events.emit('fallback', { requestId: 'r1', from: 'openai/gpt-4o-mini', to: 'ollama/gemma3:4b', reason: 'unconfigured' });
  const first = attemptOf(1, 'ollama/gemma3:4b');
  events.emit('attempt.start', first);
  events.emit('attempt.end', { requestId: 'r1', attempt: 1, provider: 'ollama', model: 'gemma3:4b', resolved: 'ollama/gemma3:4b', ok: false, errorType: 'upstream_5xx' });
  events.emit('fallback', { requestId: 'r1', from: 'ollama/gemma3:4b', to: 'groq/llama', reason: 'upstream_5xx' });
  const second = attemptOf(2, 'groq/llama');
  events.emit('attempt.start', second);
  events.emit('attempt.end', { requestId: 'r1', attempt: 2, provider: 'groq', model: 'llama', resolved: 'groq/llama', ok: true, usage: { prompt_tokens: 12, completion_tokens: 7, total_tokens: 19 }, finishReasons: ['stop'] });
  events.emit('request.end', endOf({ resolved: 'groq/llama', cache: 'miss' }));

  const spans = exporter.getFinishedSpans();
  const server = spans.find((s) => s.kind === SpanKind.SERVER)!;
  const [failed, answered] = spans.filter((s) => s.kind === SpanKind.CLIENT);
  assert.equal(server.parentSpanContext?.spanId, 'b7ad6b7169203331');
  assert.equal(server.name, 'POST /v1/chat/completions');
  assert.deepEqual(server.events.map((e) => [e.name, e.attributes]), [['mana_llm.skip', { 'mana_llm.reason': 'unconfigured', 'gen_ai.request.model': 'openai/gpt-4o-mini' }]], 'one skip; the failed attempt is a span, not a skip');
  assert.equal(server.attributes['mana_llm.resolved_model'], 'groq/llama');
  assert.equal(failed!.name, 'chat ollama/gemma3:4b');
  assert.equal(failed!.status.code, SpanStatusCode.ERROR);
  assert.equal(failed!.attributes['error.type'], 'upstream_5xx');
  assert.equal(failed!.attributes['gen_ai.request.max_tokens'], 20);
  assert.equal(answered!.attributes['gen_ai.usage.output_tokens'], 7);
  for (const client of [failed!, answered!]) assert.equal(client.parentSpanContext?.spanId, server.spanContext().spanId);
  assert.equal(second.upstreamHeaders.traceparent, `00-0af7651916cd43dd8448eb211c80319c-${answered!.spanContext().spanId}-01`, 'the attempt’s own context goes upstream');
});

test('a new trace without a caller’s traceparent; a 5xx marks the request span; nothing is left open', () => {
  const { events, exporter, stop } = setup();
  const start = startOf({ requestId: 'r2' });
  events.emit('request.start', start);
  events.emit('attempt.start', { ...attemptOf(1, 'ollama/gemma3:4b'), requestId: 'r2' });
  events.emit('request.end', endOf({ requestId: 'r2', status: 503, errorCode: 'no_healthy_provider' }));
  const spans = exporter.getFinishedSpans();
  assert.equal(spans.length, 2, 'an attempt without an end is closed with its request');
  assert.equal(spans.find((s) => s.kind === SpanKind.CLIENT)!.attributes['gen_ai.request.model'], 'gemma3:4b', 'with what it knew at its start');
  const server = spans.find((s) => s.kind === SpanKind.SERVER)!;
  assert.equal(server.parentSpanContext, undefined);
  assert.match(start.trace!.traceId, /^[0-9a-f]{32}$/);
  assert.equal(server.status.code, SpanStatusCode.ERROR);
  events.emit('request.start', startOf({ requestId: 'r3' }));
  stop();
  assert.equal(exporter.getFinishedSpans().length, 3, 'a stop ends what is open');
});

test('content only when asked for', () => {
  for (const capture of [false, true]) {
    const { events, exporter } = setup(capture);
    events.emit('request.start', startOf({ body: { messages: [{ role: 'user', content: 'my secret prompt' }] } }));
    events.emit('attempt.start', attemptOf(1, 'groq/llama'));
    events.emit('attempt.end', { requestId: 'r1', attempt: 1, provider: 'groq', model: 'llama', resolved: 'groq/llama', ok: true, answer: { choices: [{ message: { role: 'assistant', content: 'the secret answer' }, finish_reason: 'stop' }] } });
    events.emit('request.end', endOf());
    const text = JSON.stringify(exporter.getFinishedSpans().map((s) => [s.attributes, s.events]));
    assert.equal(text.includes('my secret prompt'), capture, `prompt recorded: ${capture}`);
    assert.equal(text.includes('the secret answer'), capture, `answer recorded: ${capture}`);
  }
});

test('an unsampled request: no span recorded, and each attempt sends the request’s context upstream, sampled flag off', () => {
  const { events, exporter } = setup(false, samplerOf('parentbased_always_on', undefined));
  const start = startOf({ traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00', tracestate: 'vendor=1' });
  events.emit('request.start', start);
  assert.equal(start.trace?.traceId, '0af7651916cd43dd8448eb211c80319c', 'the log line still joins the caller’s trace');
  const [first, second] = [attemptOf(1, 'ollama/gemma3:4b'), attemptOf(2, 'groq/llama')];
  events.emit('attempt.start', first);
  events.emit('attempt.end', { requestId: 'r1', attempt: 1, provider: 'ollama', model: 'gemma3:4b', resolved: 'ollama/gemma3:4b', ok: false, errorType: 'upstream_5xx' });
  events.emit('attempt.start', second);
  events.emit('request.end', endOf());
  for (const attempt of [first, second]) assert.deepEqual(attempt.upstreamHeaders, { traceparent: `00-0af7651916cd43dd8448eb211c80319c-${start.trace!.spanId}-00`, tracestate: 'vendor=1' });
  assert.equal(exporter.getFinishedSpans().length, 0);
});

test('every sampler of the options decides a child as its parent was decided (what lets an unsampled request skip its attempt spans)', () => {
  const names = ['always_on', 'always_off', 'traceidratio', 'parentbased_always_on', 'parentbased_always_off', 'parentbased_traceidratio', undefined];
  for (const name of names) {
    const tracer = new BasicTracerProvider({ sampler: samplerOf(name, '0.5') }).getTracer('test');
    for (let i = 0; i < 64; i++) {
      const parent = tracer.startSpan('request', {}, ROOT_CONTEXT);
      const child = tracer.startSpan('attempt', {}, trace.setSpan(ROOT_CONTEXT, parent));
      assert.equal(child.isRecording(), parent.isRecording(), `${name ?? 'default'}: a child decided like its parent`);
    }
  }
});

test('an attempt lies within its request on the timeline, however close together they start and end', () => {
  const { events, exporter } = setup();
  const ns = ([seconds, nanos]: [number, number]) => BigInt(seconds) * 1_000_000_000n + BigInt(nanos);
  for (let i = 0; i < 300; i++) {
    const requestId = `r${i}`;
    events.emit('request.start', startOf({ requestId }));
    events.emit('attempt.start', { ...attemptOf(1, 'ollama/gemma3:4b'), requestId });
    events.emit('attempt.end', { requestId, attempt: 1, provider: 'ollama', model: 'gemma3:4b', resolved: 'ollama/gemma3:4b', ok: true });
    events.emit('request.end', endOf({ requestId }));
  }
  const spans = exporter.getFinishedSpans();
  const servers = new Map(spans.filter((s) => s.kind === SpanKind.SERVER).map((s) => [s.spanContext().spanId, s]));
  const clients = spans.filter((s) => s.kind === SpanKind.CLIENT);
  assert.equal(clients.length, 300);
  for (const client of clients) {
    const server = servers.get(client.parentSpanContext!.spanId)!;
    assert.ok(ns(client.startTime) >= ns(server.startTime), 'the attempt starts after its request');
    assert.ok(ns(client.endTime) <= ns(server.endTime), 'and ends before it (the SDK alone anchors each span on a whole millisecond)');
    assert.ok(ns(client.endTime) >= ns(client.startTime));
  }
});
