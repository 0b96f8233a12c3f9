import { ROOT_CONTEXT, trace, SpanKind, SpanStatusCode, type Attributes, type Context, type Span, type SpanOptions, type TextMapPropagator, type Tracer } from '@opentelemetry/api';
import type { AttemptEndEvent, AttemptStartEvent, EventBus, FallbackEvent, RequestEndEvent, RequestStartEvent, Route } from '../../core/index.ts';
import { hrTime } from '@opentelemetry/core';
import { inputMessages, outputMessages } from './message-content.ts';
import { attemptEndAttributes, attemptStartAttributes, requestEndAttributes } from './span-attributes.ts';

/** Each route's span name and path, made once. */
const ROUTES: Record<Route, { name: string; path: string }> = {
  chat: { name: 'POST /v1/chat/completions', path: '/v1/chat/completions' },
  responses: { name: 'POST /v1/responses', path: '/v1/responses' },
  embeddings: { name: 'POST /v1/embeddings', path: '/v1/embeddings' },
};
const SERVER = SpanKind.SERVER;
const CLIENT = SpanKind.CLIENT;

/**
 * Every span starts and ends at a time from one clock (the process's time origin plus its monotonic
 * clock). Left to itself the SDK anchors each span on `Date.now()`, whole milliseconds taken apart for each
 * span, so a stream's attempt could seem to end up to a millisecond after the request that holds it.
 */
const now = () => hrTime();
const startOf = (kind: SpanKind): SpanOptions => ({ kind, startTime: now() });

/** A header carrier for the W3C propagator, read from (and written into) plain records. */
const getter = { get: (carrier: Record<string, string | undefined>, key: string) => carrier[key], keys: (carrier: Record<string, string | undefined>) => Object.keys(carrier) };
const setter = { set: (carrier: Record<string, string>, key: string, value: string) => void (carrier[key] = value) };

/** One attempt's span and, when it records, its attributes so far (set on the span once, at its end). */
interface AttemptTrace {
  span: Span;
  attributes: Attributes | undefined;
}

/** What the plugin keeps of a request between its events. One shape for sampled and unsampled alike. */
class RequestTrace {
  /** Attempt spans by their number (1, 2, …), until they end. Arrays: most requests have one attempt. */
  attempts: Array<AttemptTrace | undefined> = [];
  /** Entries that had an attempt (their fallback is a failure, not a skip). */
  tried: string[] = [];
  /** Unsampled: the trace context every attempt sends upstream, made at the first one. */
  upstream: Record<string, string> | undefined = undefined;

  constructor(
    readonly span: Span,
    readonly recording: boolean,
    /** The parent of the attempt spans (sampled requests only). */
    readonly context: Context | undefined,
    readonly path: string,
    readonly maxTokens: number | undefined,
    readonly temperature: number | undefined,
    /** The prompt as JSON text, only when content is recorded. */
    readonly input: string | undefined,
  ) {}
}

/**
 * Turns the core's events into the CONTRACT's spans: a SERVER span per model request (continuing the
 * caller's `traceparent`), a CLIENT span per attempt under it (whose context goes upstream as the
 * attempt's `traceparent`), and a `mana_llm.skip` event on the request span for every entry skipped
 * without an attempt. Spans are keyed by request id and always ended, so none is left open.
 *
 * What a request costs is kept to what its sampling decision needs:
 * - Unsampled (the sampler said no): one SDK call for the decision and the ids the request log carries.
 *   No attempt span is made: every sampler of `samplerOf` decides a child the way its parent was decided
 *   (the parent-based ones by the parent, `traceidratio` by the trace id the child shares, `always_off`
 *   always), so it would be one more unsampled span. Each attempt sends the request span's own context
 *   upstream instead (sampled flag off, the caller's tracestate kept), made into headers once.
 * - Sampled: a span's attributes are built in one object as its events come and set in one
 *   `setAttributes` call at its end (spans are exported only once ended, so nothing is lost by waiting).
 */
export function traceRequests(events: EventBus, tracer: Tracer, propagator: TextMapPropagator, captureContent: boolean): () => void {
  const open = new Map<string, RequestTrace>();
  /** An attempt span whose attempt ended without a verdict (cut, or the plugin stopped): what it knew at its start. */
  const endCut = (attempt: AttemptTrace | undefined) => {
    if (!attempt) return;
    if (attempt.attributes) attempt.span.setAttributes(attempt.attributes);
    attempt.span.end(now());
  };
  const unsubscribe = [
    events.on('request.start', (e: RequestStartEvent) => {
      // Contexts are passed by hand (no context manager, no global state): the events say which request is which.
      const parent = e.traceparent ? propagator.extract(ROOT_CONTEXT, { traceparent: e.traceparent, tracestate: e.tracestate }, getter) : ROOT_CONTEXT;
      const route = ROUTES[e.route];
      // The built-in samplers decide on the trace id and the parent, not on attributes: all of them are set at the end.
      const span = tracer.startSpan(route.name, startOf(SERVER), parent);
      const { traceId, spanId } = span.spanContext();
      e.trace = { traceId, spanId };
      const recording = span.isRecording();
      const context = recording ? trace.setSpan(parent, span) : undefined;
      const input = recording && captureContent ? inputMessages(e.body) : undefined;
      open.set(e.requestId, new RequestTrace(span, recording, context, route.path, e.maxTokens, e.temperature, input));
    }),
    events.on('attempt.start', (e: AttemptStartEvent) => {
      const request = open.get(e.requestId);
      if (!request) return;
      if (!request.context) {
        request.upstream ??= injected(propagator, trace.setSpan(ROOT_CONTEXT, request.span));
        Object.assign(e.upstreamHeaders, request.upstream);
        return;
      }
      request.tried.push(e.resolved);
      const span = tracer.startSpan(`${e.operation} ${e.resolved}`, startOf(CLIENT), request.context);
      let attributes: Attributes | undefined;
      if (span.isRecording()) {
        attributes = attemptStartAttributes(e, request.maxTokens, request.temperature);
        if (request.input !== undefined) attributes['gen_ai.input.messages'] = request.input;
      }
      request.attempts[e.attempt] = { span, attributes };
      propagator.inject(trace.setSpan(ROOT_CONTEXT, span), e.upstreamHeaders, setter);
    }),
    events.on('attempt.end', (e: AttemptEndEvent) => {
      const request = open.get(e.requestId);
      const attempt = request?.attempts[e.attempt];
      if (!attempt) return;
      request!.attempts[e.attempt] = undefined;
      const { span, attributes } = attempt;
      // An unsampled span takes nothing: its attributes are not even built.
      if (!attributes) return span.end(now());
      attemptEndAttributes(e, attributes);
      if (captureContent && e.ok) {
        const output = outputMessages(e.answer);
        if (output !== undefined) attributes['gen_ai.output.messages'] = output;
      }
      span.setAttributes(attributes);
      if (!e.ok) span.setStatus({ code: SpanStatusCode.ERROR, message: e.errorType });
      span.end(now());
    }),
    events.on('fallback', (e: FallbackEvent) => {
      const request = open.get(e.requestId);
      if (!request?.recording || request.tried.includes(e.from)) return;
      request.span.addEvent('mana_llm.skip', { 'mana_llm.reason': e.reason, 'gen_ai.request.model': e.from }, now());
    }),
    events.on('request.end', (e: RequestEndEvent) => {
      const request = open.get(e.requestId);
      if (!request) return;
      open.delete(e.requestId);
      const { span } = request;
      if (!request.recording) return span.end(now());
      // An attempt still open here was cut without a verdict (a refused body never starts one).
      for (const attempt of request.attempts) endCut(attempt);
      span.setAttributes(requestEndAttributes(e, { 'http.request.method': 'POST', 'http.route': request.path }));
      if (e.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR, message: e.errorCode });
      span.end(now());
    }),
  ];
  return () => {
    for (const off of unsubscribe) off();
    for (const request of open.values()) {
      for (const attempt of request.attempts) endCut(attempt);
      if (request.recording) request.span.setAttributes({ 'http.request.method': 'POST', 'http.route': request.path });
      request.span.end(now());
    }
    open.clear();
  };
}

/** The headers the propagator writes for a context. */
function injected(propagator: TextMapPropagator, context: Context): Record<string, string> {
  const headers: Record<string, string> = {};
  propagator.inject(context, headers, setter);
  return headers;
}
