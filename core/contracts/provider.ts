import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionRequest,
  EmbeddingRequest,
  EmbeddingResponse,
  ModelInfo,
} from './openai.ts';
import type { HealthProbe } from './health-probe.ts';

/** What a model can do. The router skips chain entries that lack what a request needs. */
export interface Capabilities {
  chat: boolean;
  stream: boolean;
  embeddings: boolean;
  vision: boolean;
  tools: boolean;
  /** `response_format: json_object`. */
  json: boolean;
  /** `response_format: json_schema`. */
  jsonSchema: boolean;
}

export type Capability = keyof Capabilities;

/** What a capability lookup is handed. */
export interface CapabilityLookup {
  /** The request's abort signal, made on first read: a lookup that never reads it costs the request nothing. */
  readonly signal: AbortSignal;
}

/** One call to a provider: which of its models, the name the caller will see, and when to give up. */
export interface ProviderCall {
  /** The model as the provider knows it: the part after `provider/`. */
  model: string;
  /** `provider/model`: what the caller sees in `model` and in `X-Mana-LLM-Resolved`. */
  resolved: string;
  /** Aborted when the caller disconnects or a timeout fires; the upstream request must stop with it. */
  signal: AbortSignal;
  /**
   * Headers observers asked to send with this attempt's upstream requests (a trace context): a provider
   * adds them to every HTTP request it makes for the call. Absent when there are none.
   */
  headers?: Readonly<Record<string, string>>;
}

/**
 * A chunk that is already serialized as OpenAI chunk JSON. Providers whose upstream speaks the OpenAI
 * stream format forward chunks this way to spare a parse and a serialization per chunk. The core writes
 * the text to the caller as it is, so the provider must already have put `call.resolved` in its `model`
 * (`serializedChunk` from `core/index.ts` swaps it into the upstream's text). A chunk that carries
 * `usage` must be yielded as an object instead, so that the core can read the counts and drop the usage
 * chunk when the caller did not ask for it.
 */
export interface SerializedChunk {
  readonly serialized: string;
}

export type StreamItem = ChatCompletionChunk | SerializedChunk;

export function isSerializedChunk(item: StreamItem): item is SerializedChunk {
  return typeof (item as SerializedChunk).serialized === 'string';
}

/**
 * A provider instance, named by the profile (`groq`, `ollama`, …). It speaks OpenAI shapes to the core and
 * its own protocol to its upstream, and reports every failure as one of the core's typed errors. What it
 * holds (a connection pool) it releases through the plugin context's `onClose`.
 */
export interface Provider {
  readonly name: string;
  /**
   * What `model` can do; may ask the upstream once and remember. Called on every attempt that needs a
   * capability, so an answer from memory should stay cheap; `lookup.signal` (aborted when the caller goes
   * away or the request's deadline passes) is made only when read, for a lookup that asks its upstream.
   */
  capabilities(model: string, lookup: CapabilityLookup): Capabilities | Promise<Capabilities>;
  /** A whole answer. The core sets `model` to `call.resolved` before it reaches the caller. */
  chat(request: ChatCompletionRequest, call: ProviderCall): Promise<ChatCompletion>;
  /**
   * A streamed answer, one OpenAI chunk per item, yielded as soon as the upstream sends it. The first item
   * must not be yielded before the upstream has produced output, so that failures before it can fall back.
   * The core sets `model` on each chunk yielded as an object; a `SerializedChunk` is written as it is, so
   * its text must already carry `call.resolved` (see `serializedChunk`). The core always passes
   * `stream_options: {include_usage: true}`: a provider ends a stream with a usage chunk (`choices: []`,
   * `usage`) whenever its upstream reports counts, and the core drops it when the caller did not ask.
   * The stream must throw (never simply end) when the upstream stops before its end marker.
   */
  chatStream(request: ChatCompletionRequest, call: ProviderCall): AsyncIterable<StreamItem>;
  /** Embeddings; `encoding_format` is normalized by the core afterwards, so either form may be returned. */
  embed(request: EmbeddingRequest, call: ProviderCall): Promise<EmbeddingResponse>;
  /** The provider's own model list, ids without the provider prefix. */
  listModels(signal: AbortSignal): Promise<ModelInfo[]>;
  /** The cheap request the health loop sends. */
  probe: HealthProbe;
}
