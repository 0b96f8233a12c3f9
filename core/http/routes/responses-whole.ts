import { requireChoices } from '../../openai/completion-shape.ts';
import { bareJsonCompletion, wantsJson } from '../../openai/json-mode.ts';
import { responseContext } from '../../responses/response-context.ts';
import { responseJson } from '../../responses/response-json.ts';
import { toResponse } from '../../responses/to-response.ts';
import { RESOLVED_HEADER } from '../headers.ts';
import { sendJsonText } from '../respond.ts';
import { keepResponse, type ResponsesAnswer } from './responses-turn.ts';

/** A whole Response: the first entry of the chain that answers, translated back; kept unless `store: false`. */
export const wholeResponse: ResponsesAnswer = async (ctx, services, served, turn, needs, plan) => {
  const { scope, resolution, outcome } = served;
  const { chat } = turn;
  const { value, entry } = await services.router.answer(scope, resolution, needs, (provider, call) => provider.chat(chat, call).then((c) => requireChoices(c, call.resolved)));
  const completion = wantsJson(chat) ? bareJsonCompletion(value) : value;
  completion.model = entry.resolved;
  outcome.usage = completion.usage;
  const response = toResponse(completion, responseContext(turn.request, entry.resolved));
  // Serialized once: the same text is the body and what the response store keeps.
  const body = responseJson(response);
  ctx.set(RESOLVED_HEADER, entry.resolved);
  sendJsonText(ctx, body);
  // Cached as the chat answer it was, so chat and Responses callers of the same request share the entry.
  if (plan) services.cache.save(plan, 'chat', entry.resolved, JSON.stringify(completion));
  keepResponse(ctx, services, turn, response, body);
};
