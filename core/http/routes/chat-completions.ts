import type { Context } from 'koa';
import type { ChatCompletionRequest } from '../../contracts/openai.ts';
import { vetRequestImages } from '../../images/request-images.ts';
import { resolveModel } from '../../routing/model-resolver.ts';
import { chatNeeds } from '../../routing/request-needs.ts';
import type { GatewayServices } from '../services.ts';
import { validateChatRequest } from '../validation/validators.ts';
import { cacheLookup } from './cache-step.ts';
import { replayCachedAnswer } from './chat-from-cache.ts';
import { streamAnswer } from './chat-stream-answer.ts';
import { wholeAnswer } from './chat-whole-answer.ts';
import { beginModelRequest, serveModelRequest } from './model-request.ts';

/**
 * `POST /v1/chat/completions`: validate, resolve the model to a chain, answer from the cache when it has
 * the answer, else let the router walk the chain and answer as JSON or as a stream.
 */
export function chatCompletions(services: GatewayServices) {
  return async (ctx: Context): Promise<void> => {
    const model = beginModelRequest(ctx, services, 'chat');
    const request: ChatCompletionRequest = validateChatRequest(ctx.request.body);
    const resolution = resolveModel(request.model, services.aliases.current, services.resolver);
    await serveModelRequest(ctx, services, model, resolution, async (served) => {
      const { plan, hit } = await cacheLookup(ctx, services, served, request, 'chat');
      if (hit?.kind === 'chat') return replayCachedAnswer(ctx, served, request, hit);
      const needs = chatNeeds(request);
      // Images are vetted (sizes, types, fetched by URL when allowed) only when the request has some.
      const vetted = needs.includes('vision') ? await vetRequestImages(request, services.images.policy, services.images.fetcher, served.scope.signal) : request;
      const answer = request.stream === true ? streamAnswer : wholeAnswer;
      return answer(ctx, services, served, vetted, needs, plan);
    });
  };
}
