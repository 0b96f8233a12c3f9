import type { Context } from 'koa';
import type { EmbeddingRequest, EmbeddingResponse } from '../../contracts/openai.ts';
import { UpstreamProtocolError } from '../../errors/upstream-protocol-error.ts';
import { encodeEmbeddings } from '../../openai/embedding-encoding.ts';
import { chainEntry, resolveModel } from '../../routing/model-resolver.ts';
import { EMBEDDING_NEEDS } from '../../routing/request-needs.ts';
import { RESOLVED_HEADER } from '../headers.ts';
import { sendJson } from '../respond.ts';
import type { GatewayServices } from '../services.ts';
import { validateEmbeddingRequest } from '../validation/validators.ts';
import { cacheLookup } from './cache-step.ts';
import { beginModelRequest, serveModelRequest } from './model-request.ts';

/** `POST /v1/embeddings`: like a whole chat answer, through the same chain walk, in the encoding asked for. */
export function embeddings(services: GatewayServices) {
  return async (ctx: Context): Promise<void> => {
    const model = beginModelRequest(ctx, services, 'embeddings');
    const request: EmbeddingRequest = validateEmbeddingRequest(ctx.request.body);
    const resolution = resolveModel(request.model, services.aliases.current, services.resolver);
    const format = request.encoding_format ?? 'float';
    await serveModelRequest(ctx, services, model, resolution, async (served) => {
      const { outcome } = served;
      const { plan, hit } = await cacheLookup(ctx, services, served, request, 'embeddings');
      if (hit?.kind === 'embeddings') {
        const { provider, model } = chainEntry(hit.resolved);
        Object.assign(outcome, { resolved: hit.resolved, provider, model });
        ctx.set(RESOLVED_HEADER, hit.resolved);
        return sendJson(ctx, encodeEmbeddings(hit.response, format));
      }
      const { value, entry } = await services.router.answer(served.scope, resolution, EMBEDDING_NEEDS, (provider, call) => provider.embed(request, call).then((r) => withData(r, call.resolved)));
      const resolved = entry.resolved;
      value.model = resolved;
      if (value.usage) outcome.usage = { prompt_tokens: value.usage.prompt_tokens, completion_tokens: 0, total_tokens: value.usage.total_tokens };
      ctx.set(RESOLVED_HEADER, resolved);
      // Stored as floats, so that a later caller may ask for either encoding.
      if (plan) services.cache.save(plan, 'embeddings', resolved, JSON.stringify(encodeEmbeddings(value, 'float')));
      sendJson(ctx, encodeEmbeddings(value, format));
    });
  };
}

/** A 200 without a data list is the provider breaking its protocol: retryable, another entry may answer. */
function withData(response: EmbeddingResponse, resolved: string): EmbeddingResponse {
  if (!response || !Array.isArray(response.data)) throw new UpstreamProtocolError(`${resolved} returned embeddings without data`);
  return response;
}
