import { requireChoices } from '../../openai/completion-shape.ts';
import { bareJsonCompletion, wantsJson } from '../../openai/json-mode.ts';
import { RESOLVED_HEADER } from '../headers.ts';
import type { ChatAnswer } from './chat-answer.ts';

/** A whole (non-streaming) answer: the first entry of the chain that answers within its limits. */
export const wholeAnswer: ChatAnswer = async (ctx, services, served, request, needs, plan) => {
  const { scope, resolution, outcome } = served;
  const { value, entry } = await services.router.answer(scope, resolution, needs, (provider, call) => provider.chat(request, call).then((c) => requireChoices(c, call.resolved)));
  const resolved = entry.resolved;
  const completion = wantsJson(request) ? bareJsonCompletion(value) : value;
  completion.model = resolved;
  outcome.usage = completion.usage;
  const body = JSON.stringify(completion);
  ctx.set(RESOLVED_HEADER, resolved);
  ctx.status = 200;
  ctx.type = 'application/json';
  ctx.body = body;
  if (plan) services.cache.save(plan, 'chat', resolved, body);
};
