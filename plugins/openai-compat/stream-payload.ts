import { UpstreamProtocolError, serializedChunk, type ChatCompletionChunk, type StreamItem } from '../../core/index.ts';
import { errorFromStreamEvent } from './stream-error.ts';
import { mayCarryUsage, splitUsageChunk } from './usage-chunk.ts';

/** What a stream's payloads are rewritten to: the caller's model name, and how error text is cleaned. */
export interface StreamTarget {
  provider: string;
  resolved: string;
  /** `resolved` JSON-encoded once per stream, ready to splice into chunk text. */
  quotedResolved: string;
  redact(text: string): string;
}

export function streamTarget(provider: string, resolved: string, redact: (text: string) => string): StreamTarget {
  return { provider, resolved, quotedResolved: JSON.stringify(resolved), redact };
}

/**
 * Turns one SSE `data:` payload (not `[DONE]`) into the items to yield. The common chunk passes as text
 * with only its `model` swapped; a chunk with usage is parsed (the core reads the counts and may drop the
 * usage chunk); an `error` event throws the mapped error.
 */
export function streamItems(data: string, target: StreamTarget): StreamItem[] {
  // `"error"` can only appear unescaped as a key or the exact value "error"; both deserve a real look.
  if (!data.includes('"error"') && !mayCarryUsage(data)) {
    const serialized = serializedChunk(data, target.quotedResolved);
    if (serialized !== undefined) return [serialized];
  }
  const chunk = parseChunk(data, target.provider);
  if (chunk.error != null) throw errorFromStreamEvent(target.provider, chunk.error, target.redact);
  chunk.model = target.resolved;
  return splitUsageChunk(chunk);
}

function parseChunk(data: string, provider: string): ChatCompletionChunk {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch (err) {
    throw new UpstreamProtocolError(`${provider}: the stream sent an event that is not JSON: ${data.slice(0, 120)}`, err);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UpstreamProtocolError(`${provider}: the stream sent an event that is not a chunk object: ${data.slice(0, 120)}`);
  }
  return value as ChatCompletionChunk;
}
