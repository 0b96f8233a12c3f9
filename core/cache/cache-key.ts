import { createHash } from 'node:crypto';

/**
 * Fields that never change what a model answers, so two requests that differ only in them share an
 * entry. Everything else — messages (images included), tools, tool_choice, response_format, sampling
 * parameters, stop, seed, n, provider options such as Ollama's `options.num_ctx` — is part of the key,
 * including fields the gateway does not know yet: an unknown field is presumed to matter.
 */
// (`encoding_format` only changes how embeddings are written out: they are stored as floats and encoded per caller.)
export const OUTPUT_NEUTRAL_FIELDS = new Set(['model', 'stream', 'stream_options', 'user', 'store', 'metadata', 'encoding_format']);

export interface CacheKeyInput {
  route: 'chat' | 'embeddings';
  /** The resolved chain (`provider/model` entries) the request would walk. */
  chain: readonly string[];
  /** Who may share the entry: a digest of the caller's API key, or `shared`. */
  scope: string;
  body: Record<string, unknown>;
}

/** A SHA-256 over the canonical JSON (keys sorted at every depth) of what decides the answer. */
export function cacheKey(input: CacheKeyInput): string {
  const body: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(input.body)) {
    if (!OUTPUT_NEUTRAL_FIELDS.has(field) && value !== undefined) body[field] = value;
  }
  const canonical = canonicalJson({ v: 1, route: input.route, chain: input.chain, scope: input.scope, body });
  return createHash('sha256').update(canonical).digest('hex');
}

/** JSON with object keys sorted, so key order in the request never changes the hash. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}
