import { ROOT_CONTEXT, trace, SpanKind, SpanStatusCode, type Context, type Span, type TextMapPropagator, type Tracer } from '@opentelemetry/api';
import type { AttemptEndEvent, AttemptStartEvent, EventBus, FallbackEvent, RequestEndEvent, RequestStartEvent, Route } from '../../core/index.ts';
import { inputMessages, outputMessages } from './message-content.ts';
import { attemptEndAttributes, attemptStartAttributes, requestEndAttributes } from './span-attributes.ts';

const ROUTES: Record<Route, string> = { chat: '/v1/chat/completions', responses: '/v1/responses', embeddings: '/v1/embeddings' };

/** A header carrier for the W3C propagator, read from (and written into) plain records. */
const getter = { get: (carrier: Record<string, string | undefined>, key: string) => carrier[key], keys: (carrier: Record<string, string | undefined>) => Object.keys(carrier) };
const setter = { set: (carrier: Record<string, string>, key: string, value: string) => void (carrier[key] = value) };

interface RequestTrace {
  span: Span;
  context: Context;
  maxTokens?: number;
  temperature?: number;
  /** The prompt as JSON text, only when content is recorded. */
  input?: string;
  /** Attempt spans by their number (1, 2, …), until they end. Arrays: most requests have one attempt. */
  attempts: Array<Span | undefined>;
  /** Entries that had an attempt (their fallback is a failure, not a skip). */
  tried: string[];
}

/**
 * Turns the core's events into the CONTRACT's spans: a SERVER span per model request (continuing the
 * caller's `traceparent`), a CLIENT span per attempt under it (whose context goes upstream as the
 * attempt's `traceparent`), and a `mana_llm.skip` event on the request span for every entry skipped
 * without an attempt. Spans are keyed by request id and always ended, so none is left open.
 */
export function traceRequests(events: EventBus, tracer: Tracer, propagator: TextMapPropagator, captureContent: boolean): () => void {
  const open = new Map<string, RequestTrace>();
  const unsubscribe = [
    events.on('request.start', (e: RequestStartEvent) => {
      // Contexts are passed by hand (no context manager, no global state): the events say which request is which.
      const parent = e.traceparent ? propagator.extract(ROOT_CONTEXT, { traceparent: e.traceparent, tracestate: e.tracestate }, getter) : ROOT_CONTEXT;
      const route = ROUTES[e.route];
      const span = tracer.startSpan(`POST ${route}`, { kind: SpanKind.SERVER, attributes: { 'http.request.method': 'POST', 'http.route': route } }, parent);
      const spanContext = span.spanContext();
      e.trace = { traceId: spanContext.traceId, spanId: spanContext.spanId };
      const input = captureContent ? inputMessages(e.body) : undefined;
      open.set(e.requestId, { span, context: trace.setSpan(parent, span), maxTokens: e.maxTokens, temperature: e.temperature, input, attempts: [], tried: [] });
    }),
    events.on('attempt.start', (e: AttemptStartEvent) => {
      const request = open.get(e.requestId);
      if (!request) return;
      request.tried.push(e.resolved);
      const span = tracer.startSpan(`${e.operation} ${e.resolved}`, { kind: SpanKind.CLIENT, attributes: attemptStartAttributes(e, request.maxTokens, request.temperature) }, request.context);
      if (request.input !== undefined) span.setAttribute('gen_ai.input.messages', request.input);
      request.attempts[e.attempt] = span;
      propagator.inject(trace.setSpan(request.context, span), e.upstreamHeaders, setter);
    }),
    events.on('attempt.end', (e: AttemptEndEvent) => {
      const request = open.get(e.requestId);
      const span = request?.attempts[e.attempt];
      if (!request || !span) return;
      request.attempts[e.attempt] = undefined;
      // An unsampled span takes nothing: its attributes are not even built.
      if (!span.isRecording()) return span.end();
      span.setAttributes(attemptEndAttributes(e));
      const output = captureContent && e.ok ? outputMessages(e.answer) : undefined;
      if (output !== undefined) span.setAttribute('gen_ai.output.messages', output);
      if (!e.ok) span.setStatus({ code: SpanStatusCode.ERROR, message: e.errorType });
      span.end();
    }),
    events.on('fallback', (e: FallbackEvent) => {
      const request = open.get(e.requestId);
      if (!request || request.tried.includes(e.from) || !request.span.isRecording()) return;
      request.span.addEvent('mana_llm.skip', { 'mana_llm.reason': e.reason, 'gen_ai.request.model': e.from });
    }),
    events.on('request.end', (e: RequestEndEvent) => {
      const request = open.get(e.requestId);
      if (!request) return;
      open.delete(e.requestId);
      // An attempt still open here was cut without a verdict (a refused body never starts one).
      for (const span of request.attempts) span?.end();
      if (!request.span.isRecording()) return request.span.end();
      request.span.setAttributes(requestEndAttributes(e));
      if (e.status >= 500) request.span.setStatus({ code: SpanStatusCode.ERROR, message: e.errorCode });
      request.span.end();
    }),
  ];
  return () => {
    for (const off of unsubscribe) off();
    for (const request of open.values()) request.span.end();
    open.clear();
  };
}
