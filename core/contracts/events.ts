import type { Usage } from './openai.ts';

/** One entry of a chain that did not answer, and why (the CONTRACT's `attempts[].reason` words). */
export interface AttemptRecord {
  /** `provider/model`. */
  model: string;
  reason: string;
  message?: string;
}

export type Route = 'chat' | 'embeddings' | 'responses';

export interface RequestStartEvent {
  requestId: string;
  route: Route;
  /** As the caller named it (or the default that stood in for it). */
  requestedModel: string;
  stream: boolean;
  /** The caller's W3C trace context headers, when it sent them. */
  traceparent?: string;
  tracestate?: string;
  /** The request's output-token limit and temperature, when it set them (chat, Responses). */
  maxTokens?: number;
  temperature?: number;
  /**
   * The parsed request body, as the caller sent it: for an observer that records content when the
   * operator turned that on. Read-only; the core never logs it.
   */
  body?: unknown;
  /**
   * Set by an observer that traces the request (the one listener that may write to this event): the ids
   * the request log line carries, so logs and traces join.
   */
  trace?: TraceIds;
}

export interface TraceIds {
  traceId: string;
  spanId: string;
}

export interface RequestEndEvent extends RequestStartEvent {
  /** The caller's name from the callers file (`default` without one); never a key. */
  caller: string;
  /** The provider instance of the requested model (`ollama` for unprefixed names); `alias` for aliases, `unknown` for refused requests. */
  requestedProvider: string;
  /** `provider/model` that answered, when one did. */
  resolved?: string;
  provider?: string;
  model?: string;
  status: number;
  errorCode?: string;
  durationMs: number;
  /** Streams only: from the request's arrival to the first chunk written. */
  ttftMs?: number;
  usage?: Usage;
  attempts: AttemptRecord[];
  clientAborted: boolean;
  cache?: CacheResult;
  /** What the answer cost in USD (0 for a cache hit or a local model); absent when its model has no price. */
  costUsd?: number;
  /** A cache hit: what it saved, USD. */
  savedUsd?: number;
  /** The ids a tracing observer gave the request at its start. */
  trace?: TraceIds;
}

export type Operation = 'chat' | 'embeddings';

/** One try of one chain entry begins: its upstream request is about to be sent. */
export interface AttemptStartEvent {
  requestId: string;
  /** 1, 2, … within the request; the matching `attempt.end` carries the same number. */
  attempt: number;
  operation: Operation;
  provider: string;
  model: string;
  /** `provider/model`. */
  resolved: string;
  stream: boolean;
  /**
   * Headers to send with this attempt's upstream requests (an observer adds its trace context here). The
   * one field listeners may write to; the provider passes them on, the core never reads them.
   */
  upstreamHeaders: Record<string, string>;
}

/** The try is over: answered (a stream: finished), or failed with the reason word of its error. */
export interface AttemptEndEvent {
  requestId: string;
  attempt: number;
  provider: string;
  model: string;
  resolved: string;
  ok: boolean;
  /** The `attempts[].reason` word of the failure (`timeout`, `rate_limited`, …); `cancelled` when the caller went away. */
  errorType?: string;
  /** The model the provider says answered, when it said. */
  responseModel?: string;
  usage?: Usage;
  finishReasons?: string[];
  /** Streams: from the attempt's start to its first chunk. */
  ttftMs?: number;
  /** A whole answer as the provider gave it (read-only, for an observer that records content by choice); streams have none. */
  answer?: unknown;
}

/** A request the callers file refused before it went upstream, and the limit it ran into. */
export interface CallerRejectedEvent {
  caller: string;
  limit: 'requests_per_minute' | 'tokens_per_minute' | 'concurrent' | 'budget' | 'model';
}

export interface AliasResolvedEvent {
  alias: string;
  /** The chain entry that answered, or `none`. */
  target: string;
}

export interface FallbackEvent {
  requestId: string;
  from: string;
  /** The next entry tried, or `none` when the chain ended. */
  to: string;
  reason: string;
}

export interface ProviderHealthEvent {
  provider: string;
  healthy: boolean;
  state: 'closed' | 'open' | 'half_open';
  consecutiveFailures: number;
  lastError: string | null;
}

export interface UpstreamErrorEvent {
  provider: string;
  model: string;
  /** The attempts[].reason word of the failure. */
  error: string;
}

export type CacheResult = 'hit' | 'miss' | 'bypass' | 'error';

export interface CacheResultEvent {
  requestId: string;
  result: CacheResult;
}

/** Everything observers can subscribe to. The core emits; it never imports an observer. */
export interface CoreEvents {
  'request.start': RequestStartEvent;
  'request.end': RequestEndEvent;
  'alias.resolved': AliasResolvedEvent;
  fallback: FallbackEvent;
  'provider.health': ProviderHealthEvent;
  'upstream.error': UpstreamErrorEvent;
  'cache.result': CacheResultEvent;
  'caller.rejected': CallerRejectedEvent;
  'attempt.start': AttemptStartEvent;
  'attempt.end': AttemptEndEvent;
}

export type CoreEventName = keyof CoreEvents;

export interface EventBus {
  on<E extends CoreEventName>(event: E, listener: (payload: CoreEvents[E]) => void): () => void;
  emit<E extends CoreEventName>(event: E, payload: CoreEvents[E]): void;
  /** True when someone listens; lets the hot path skip building payloads nobody reads. */
  has(event: CoreEventName): boolean;
}
