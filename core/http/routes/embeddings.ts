import type { Context } from 'koa';
import { UpstreamProtocolError } from '../../errors/upstream-protocol-error.ts';
import { UpstreamTimeoutError } from '../../errors/upstream-timeout-error.ts';
import { encodeEmbeddings } from '../../openai/embedding-encoding.ts';
import type { EmbeddingRequest } from '../../contracts/openai.ts';
import { chainEntry, resolveModel, type Resolution } from '../../routing/model-resolver.ts';
import { EMBEDDING_NEEDS } from '../../routing/request-needs.ts';
import { sendJson } from '../respond.ts';
import type { GatewayServices } from '../services.ts';
import { validateEmbeddingRequest } from '../validation/validators.ts';
import { RESOLVED_HEADER } from '../headers.ts';
import { cacheLookup } from './cache-step.ts';
import { reportRejected, withRequestScope } from './request-lifecycle.ts';

/** `POST /v1/embeddings`: like a whole chat answer, through the same chain walk, in the encoding asked for. */
export function embeddings(services: GatewayServices) {
  return async (ctx: Context): Promise<void> => {
    let request: EmbeddingRequest;
    let resolution: Resolution;
    try {
      request = validateEmbeddingRequest(ctx.request.body);
      resolution = resolveModel(request.model, services.aliases.current, services.resolver);
    } catch (err) {
      reportRejected(ctx, services, 'embeddings', false, err);
      throw err;
    }
    const format = request.encoding_format ?? 'float';
    await withRequestScope(ctx, services, 'embeddings', resolution, false, async (scope, outcome) => {
      const { plan, hit } = await cacheLookup(ctx, services, 'embeddings', resolution, request, outcome);
      if (hit?.kind === 'embeddings') {
        const { provider, model } = chainEntry(hit.resolved);
        Object.assign(outcome, { resolved: hit.resolved, provider, model });
        ctx.set(RESOLVED_HEADER, hit.resolved);
        return sendJson(ctx, encodeEmbeddings(hit.response, format));
      }
      const { value, attempt } = await services.router.walk(scope, resolution.chain, EMBEDDING_NEEDS, async (attempt) => {
        const limit = attempt.remainingMs();
        const response = await attempt.within(
          attempt.provider.embed(request, attempt.call),
          limit,
          () => new UpstreamTimeoutError(`${attempt.entry.resolved} did not answer within ${limit}ms`, 'attempt'),
        );
        if (!response || !Array.isArray(response.data)) throw new UpstreamProtocolError(`${attempt.entry.resolved} returned embeddings without data`);
        return response;
      });
      attempt.dispose();
      const resolved = attempt.entry.resolved;
      value.model = resolved;
      Object.assign(outcome, {
        resolved,
        provider: attempt.entry.provider,
        model: attempt.entry.model,
        usage: value.usage ? { prompt_tokens: value.usage.prompt_tokens, completion_tokens: 0, total_tokens: value.usage.total_tokens } : undefined,
      });
      ctx.set(RESOLVED_HEADER, resolved);
      // Stored as floats, so that a later caller may ask for either encoding.
      if (plan) services.cache.save(plan, 'embeddings', resolved, JSON.stringify(encodeEmbeddings(value, 'float')));
      sendJson(ctx, encodeEmbeddings(value, format));
    });
  };
}
