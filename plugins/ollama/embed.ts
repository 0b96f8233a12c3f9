import type { EmbeddingRequest, EmbeddingResponse, ProviderCall } from '../../core/index.ts';
import { requestJson, type OllamaDeps } from './http-json.ts';
import type { RequestDefaults } from './translate-request.ts';
import { fromOllamaEmbed, toOllamaEmbedRequest } from './translate-embeddings.ts';

/** Embeddings from `POST /api/embed`, always as floats (the core encodes base64 when asked). */
export async function ollamaEmbed(
  deps: OllamaDeps & { defaults: RequestDefaults },
  request: EmbeddingRequest,
  call: ProviderCall,
): Promise<EmbeddingResponse> {
  const payload = toOllamaEmbedRequest(request, call.model, deps.defaults.keepAlive);
  const body = await requestJson(deps, '/api/embed', payload, call.signal, call.headers);
  const inputs = Array.isArray(payload.input) ? payload.input.length : 1;
  return fromOllamaEmbed(body, inputs, call.resolved, deps.name);
}
