/**
 * The answer a protocol fake gives, in provider-neutral terms; each fake renders it in its own protocol
 * (OpenAI JSON/SSE, Ollama JSON/NDJSON, Gemini JSON/SSE). The same script drives every provider in the
 * conformance suite.
 */
export interface ScriptedReply {
  /** The answer's text; streams send it in pieces of `chunkSize` characters. */
  text?: string;
  /** Reasoning/thinking text, for providers that report it separately. */
  reasoning?: string;
  toolCalls?: Array<{ name: string; arguments: Record<string, unknown> }>;
  /** Provider-neutral finish: the fake maps it to its protocol's word (`length` → Ollama `done_reason: "length"`, Gemini `MAX_TOKENS`). */
  finish?: 'stop' | 'length' | 'tool_calls';
  /** A provider-native finish word that overrides `finish` (Gemini `SAFETY`, `RECITATION`, …). */
  nativeFinish?: string;
  usage?: { prompt: number; completion: number; reasoning?: number };
  /** Characters per streamed piece of `text` (default 4). */
  chunkSize?: number;
}

/** Either a fixed reply or one computed from the request the fake received (its parsed JSON body). */
export type ReplyScript = ScriptedReply | ((body: any) => ScriptedReply);

export const defaultReply: ScriptedReply = { text: 'Hello from the fake upstream.', finish: 'stop', usage: { prompt: 12, completion: 7 } };

/** Splits text into stream pieces. */
export function pieces(text: string, size = 4): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

/** A deterministic embedding for a text, so tests can check that vectors come back in order. */
export function fakeEmbedding(text: string, dimensions = 8): number[] {
  // A fake must survive whatever a fuzzed request asks for.
  dimensions = Math.max(1, Math.min(Math.floor(dimensions) || 8, 4096));
  const out: number[] = [];
  let seed = 0;
  for (let i = 0; i < text.length; i++) seed = (seed * 31 + text.charCodeAt(i)) >>> 0;
  for (let i = 0; i < dimensions; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    out.push(Math.round(((seed % 20000) / 10000 - 1) * 1e4) / 1e4);
  }
  return out;
}
