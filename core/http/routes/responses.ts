import type { Context } from 'koa';
import { vetRequestImages } from '../../images/request-images.ts';
import { continuesEarlierTurns, loadEarlierTurns, NO_EARLIER_TURNS } from '../../responses/earlier-turns.ts';
import { inputItems } from '../../responses/input-items.ts';
import { toChatRequest } from '../../responses/to-chat-request.ts';
import { validateResponsesRequest } from '../../responses/validate-request.ts';
import { resolveModel } from '../../routing/model-resolver.ts';
import { chatNeeds } from '../../routing/request-needs.ts';
import type { GatewayServices } from '../services.ts';
import { cacheLookup } from './cache-step.ts';
import { beginModelRequest, serveModelRequest } from './model-request.ts';
import { replayCachedResponse } from './responses-from-cache.ts';
import { streamResponse } from './responses-stream.ts';
import type { ResponsesTurn } from './responses-turn.ts';
import { wholeResponse } from './responses-whole.ts';

/**
 * `POST /v1/responses`: the OpenAI Responses API on every provider. The request is validated, joined to
 * the stored conversation it continues, and translated to the chat request the router runs (core/responses/);
 * from there it is a chat request — chain walk, fallback, timeouts, cache (entries shared with chat),
 * metrics, the request log (`route: responses`) — answered in the Responses shapes, whole or streamed.
 */
export function createResponse(services: GatewayServices) {
  return async (ctx: Context): Promise<void> => {
    const model = beginModelRequest(ctx, services, 'responses');
    const request = validateResponsesRequest(ctx.request.body);
    const { history, referenced } = continuesEarlierTurns(request) ? await loadEarlierTurns(services.responseStore, ctx.vars.caller.cacheScope, request) : NO_EARLIER_TURNS;
    const chat = toChatRequest(request, history, referenced);
    if (request.stream === true) chat.stream = true;
    const turn: ResponsesTurn = { request, chat, history, input: inputItems(request, referenced) };
    const resolution = resolveModel(chat.model, services.aliases.current, services.resolver);
    await serveModelRequest(ctx, services, model, resolution, async (served) => {
      const { plan, hit } = await cacheLookup(ctx, services, served, chat, 'chat');
      if (hit?.kind === 'chat') return replayCachedResponse(ctx, services, served, turn, hit);
      const needs = chatNeeds(chat);
      // Images are vetted (sizes, types, fetched by URL when allowed) only when the request has some.
      if (needs.includes('vision')) turn.chat = await vetRequestImages(chat, services.images.policy, services.images.fetcher, served.scope.signal);
      const answer = request.stream === true ? streamResponse : wholeResponse;
      return answer(ctx, services, served, turn, needs, plan);
    });
  };
}
