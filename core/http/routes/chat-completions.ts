import type { Context } from 'koa';
import { vetRequestImages } from '../../images/request-images.ts';
import type { ChatCompletionRequest } from '../../contracts/openai.ts';
import { resolveModel, type Resolution } from '../../routing/model-resolver.ts';
import { chatNeeds } from '../../routing/request-needs.ts';
import type { GatewayServices } from '../services.ts';
import { validateChatRequest } from '../validation/validators.ts';
import { cacheLookup } from './cache-step.ts';
import { replayCachedAnswer } from './chat-from-cache.ts';
import { streamAnswer } from './chat-stream-answer.ts';
import { wholeAnswer } from './chat-whole-answer.ts';
import { reportRejected, withRequestScope } from './request-lifecycle.ts';

/**
 * `POST /v1/chat/completions`: validate, resolve the model to a chain, answer from the cache when it has
 * the answer, else walk the chain and answer as JSON or as a stream.
 */
export function chatCompletions(services: GatewayServices) {
  return async (ctx: Context): Promise<void> => {
    let request: ChatCompletionRequest;
    let resolution: Resolution;
    try {
      request = validateChatRequest(ctx.request.body);
      resolution = resolveModel(request.model, services.aliases.current, services.resolver);
    } catch (err) {
      reportRejected(ctx, services, 'chat', (ctx.request.body as { stream?: unknown })?.stream === true, err);
      throw err;
    }
    const stream = request.stream === true;
    await withRequestScope(ctx, services, 'chat', resolution, stream, async (scope, outcome) => {
      const { plan, hit } = await cacheLookup(ctx, services, 'chat', resolution, request, outcome);
      if (hit?.kind === 'chat') return replayCachedAnswer(ctx, request, hit, outcome);
      const needs = chatNeeds(request);
      const vetted = needs.includes('vision') ? await vetRequestImages(request, services.images.policy, services.images.fetcher, scope.signal) : request;
      const answer = { ctx, services, request: vetted, needs, chain: resolution.chain, scope, outcome, plan };
      return stream ? streamAnswer(answer) : wholeAnswer(answer);
    });
  };
}
