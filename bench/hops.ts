import { bodies } from './load.ts';
import { MODEL_ID } from './upstream-payloads.ts';

// The three ways a request can reach the fake upstream, and how each one names an upstream behaviour:
// direct and floor put it in the path prefix the upstream reads (/d50/v1/…); the gateway has one provider
// instance per behaviour (its base URL carries the prefix), so it names it by model.

export type HopName = 'direct' | 'floor' | 'gateway';
export const HOP_NAMES: HopName[] = ['direct', 'floor', 'gateway'];

/** fast: 0 ms; slow: the plan's fixed delay; paced: a delay between stream chunks; many: the long streams of the many-streams scenario. */
export type UpstreamKind = 'fast' | 'slow' | 'paced' | 'many';

export interface Hop {
  name: HopName;
  /** `http://127.0.0.1:port` */
  base: string;
  /** The process whose CPU and memory this hop costs (the upstream itself for direct). */
  pid: number;
}

/** Which gateway provider instance serves which upstream behaviour (see processes.ts gatewayEnv). */
const INSTANCE: Record<UpstreamKind, string> = { fast: 'openai', slow: 'groq', paced: 'together', many: 'openrouter' };

export function prefixes(slowMs: number, pacedChunkDelayMs: number, many: { chunks: number; chunkDelayMs: number }): Record<UpstreamKind, string> {
  return { fast: '', slow: `/d${slowMs}`, paced: `/cd${pacedChunkDelayMs}`, many: `/cd${many.chunkDelayMs}/n${many.chunks}` };
}

export interface Call {
  url: string;
  body: string;
  /** Sent with every request (a caller's key). */
  headers?: Record<string, string>;
}

export function call(hop: Hop, route: 'chat' | 'stream' | 'embeddings', kind: UpstreamKind, prefix: Record<UpstreamKind, string>): Call {
  const path = route === 'embeddings' ? '/v1/embeddings' : '/v1/chat/completions';
  const gateway = hop.name === 'gateway';
  const url = gateway ? `${hop.base}${path}` : `${hop.base}${prefix[kind]}${path}`;
  const model = gateway ? `${INSTANCE[kind]}/${MODEL_ID}` : MODEL_ID;
  return { url, body: bodies[route](model) };
}

/** A gateway call that names the model itself (alias paths). */
export function gatewayCall(hop: Hop, model: string): Call {
  return { url: `${hop.base}/v1/chat/completions`, body: bodies.chat(model) };
}

/** The same question through the gateway's Responses API (`POST /v1/responses`), whole or streamed. */
export function responsesCall(hop: Hop, model: string, stream: boolean): Call {
  return { url: `${hop.base}/v1/responses`, body: JSON.stringify({ model, input: 'Say hello in one short sentence.', max_output_tokens: 32, stream, store: false }) };
}
