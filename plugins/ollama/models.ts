import { UpstreamProtocolError, type ModelInfo } from '../../core/index.ts';
import { requestJson, type OllamaDeps } from './http-json.ts';
import type { OllamaTagsResponse } from './ollama-types.ts';
import { showCapabilityList } from './capabilities.ts';

/** The local models (`GET /api/tags`), ids as Ollama names them (`gemma3:4b`). */
export async function listOllamaModels(deps: OllamaDeps, signal: AbortSignal): Promise<ModelInfo[]> {
  const body = (await requestJson(deps, '/api/tags', undefined, signal)) as OllamaTagsResponse | null;
  if (!body || typeof body !== 'object' || !Array.isArray(body.models)) {
    throw new UpstreamProtocolError(`${deps.name}: /api/tags answered without a models list`);
  }
  const out: ModelInfo[] = [];
  for (const model of body.models) {
    const id = model?.name ?? model?.model;
    if (typeof id !== 'string' || id === '') continue;
    const modified = typeof model.modified_at === 'string' ? Date.parse(model.modified_at) : Number.NaN;
    out.push({ id, object: 'model', created: Number.isNaN(modified) ? 0 : Math.floor(modified / 1000), owned_by: 'ollama' });
  }
  return out;
}

/** The health probe: the same cheap listing, any answer but a 2xx is the mapped error. */
export async function probeOllama(deps: OllamaDeps, signal: AbortSignal): Promise<void> {
  await requestJson(deps, '/api/tags', undefined, signal);
}

/** How long capabilities() waits for `/api/show` before it trusts the name patterns instead. */
export const SHOW_TIMEOUT_MS = 2_000;

/** The `/api/show` capability list of a model; undefined when the server is too old to send one. */
export async function showCapabilities(deps: OllamaDeps, model: string): Promise<string[] | undefined> {
  const body = await requestJson(deps, '/api/show', { model }, AbortSignal.timeout(SHOW_TIMEOUT_MS));
  return showCapabilityList(body);
}
