import type { ModelInfo } from '../../core/index.ts';

/**
 * The `data` of an OpenAI `GET /models` answer as ModelInfo, or undefined when the answer has no such
 * list. Only the OpenAI fields are kept: OpenRouter's entries carry pricing and architecture objects that
 * would bloat the gateway's own listing.
 */
export function modelInfosFromList(body: unknown, owner: string): ModelInfo[] | undefined {
  const data = typeof body === 'object' && body !== null ? (body as { data?: unknown }).data : undefined;
  if (!Array.isArray(data)) return undefined;
  const out: ModelInfo[] = [];
  for (const entry of data) {
    if (typeof entry !== 'object' || entry === null) continue;
    const { id, created, owned_by } = entry as { id?: unknown; created?: unknown; owned_by?: unknown };
    if (typeof id !== 'string' || id === '') continue;
    out.push({
      id,
      object: 'model',
      created: typeof created === 'number' ? created : 0,
      owned_by: typeof owned_by === 'string' && owned_by !== '' ? owned_by : owner,
    });
  }
  return out;
}

/** The operator's `models` option as ModelInfo, for upstreams without a working `GET /models`. */
export function modelInfosFromIds(ids: readonly string[], owner: string): ModelInfo[] {
  return ids.map((id) => ({ id, object: 'model', created: 0, owned_by: owner }));
}
