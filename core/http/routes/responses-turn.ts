import type { Context } from 'koa';
import type { CachePlan } from '../../cache/answer-cache.ts';
import type { ChatCompletionRequest } from '../../contracts/openai.ts';
import type { Capability } from '../../contracts/provider.ts';
import type { ConversationItem, ResponseObject, ResponsesRequest } from '../../contracts/responses.ts';
import { conversationAfter } from '../../responses/conversation.ts';
import { storesResponse } from '../../responses/response-echo.ts';
import type { GatewayServices } from '../services.ts';
import type { ServedRequest } from './model-request.ts';

/** One Responses request on its way: as the caller sent it, as the chat request it became, and what it continues. */
export interface ResponsesTurn {
  request: ResponsesRequest;
  chat: ChatCompletionRequest;
  history: ConversationItem[];
  /** This turn's input items, references resolved: what a stored response keeps of it. */
  input: ConversationItem[];
}

/** One way of answering a served Responses request (whole, or streamed), as for chat (chat-answer.ts). */
export type ResponsesAnswer = (
  ctx: Context,
  services: GatewayServices,
  served: ServedRequest,
  turn: ResponsesTurn,
  needs: readonly Capability[],
  plan: CachePlan | undefined,
) => Promise<void>;

/**
 * Keeps a finished response for `previous_response_id`, `GET` and `DELETE` (unless the caller sent
 * `store: false`), with the whole conversation up to it. `responseJson`, when given, is the response as
 * already serialized for the caller, stored as it is. Never awaited by the request.
 */
export function keepResponse(ctx: Context, services: GatewayServices, turn: ResponsesTurn, response: ResponseObject, responseJson?: string): void {
  if (!storesResponse(turn.request) || !services.responseStore.enabled) return;
  const record = { v: 1 as const, response, conversation: conversationAfter(turn.history, turn.input, response) };
  void services.responseStore.save(ctx.vars.caller.cacheScope, response.id, record, responseJson);
}
