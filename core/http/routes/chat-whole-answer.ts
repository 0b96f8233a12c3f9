import { UpstreamProtocolError } from '../../errors/upstream-protocol-error.ts';
import { UpstreamTimeoutError } from '../../errors/upstream-timeout-error.ts';
import { bareJsonCompletion, wantsJson } from '../../openai/json-mode.ts';
import type { ChatAnswer } from './chat-answer.ts';
import { RESOLVED_HEADER } from '../headers.ts';

/** A whole (non-streaming) answer: the first entry of the chain that answers within its limits. */
export async function wholeAnswer({ ctx, services, request, needs, chain, scope, outcome, plan }: ChatAnswer): Promise<void> {
  const { value, attempt } = await services.router.walk(scope, chain, needs, async (attempt) => {
    const limit = attempt.remainingMs();
    const completion = await attempt.within(
      attempt.provider.chat(request, attempt.call),
      limit,
      () => new UpstreamTimeoutError(`${attempt.entry.resolved} did not answer within ${limit}ms`, 'attempt'),
    );
    if (!completion || !Array.isArray(completion.choices)) {
      throw new UpstreamProtocolError(`${attempt.entry.resolved} returned an answer without choices`);
    }
    return completion;
  });
  attempt.dispose();
  const resolved = attempt.entry.resolved;
  const completion = wantsJson(request) ? bareJsonCompletion(value) : value;
  completion.model = resolved;
  Object.assign(outcome, { resolved, provider: attempt.entry.provider, model: attempt.entry.model, usage: completion.usage });
  const body = JSON.stringify(completion);
  ctx.set(RESOLVED_HEADER, resolved);
  ctx.status = 200;
  ctx.type = 'application/json';
  ctx.body = body;
  if (plan) services.cache.save(plan, 'chat', resolved, body);
}
