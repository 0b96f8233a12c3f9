import type { Context } from 'koa';
import type { CachePlan } from '../../cache/answer-cache.ts';
import type { ChatCompletion, ChatCompletionRequest } from '../../contracts/openai.ts';
import type { Capability } from '../../contracts/provider.ts';
import { UpstreamProtocolError } from '../../errors/upstream-protocol-error.ts';
import { bareJsonCompletion, wantsJson } from '../../openai/json-mode.ts';
import { RESOLVED_HEADER } from '../headers.ts';
import type { GatewayServices } from '../services.ts';
import type { ServedRequest } from './model-request.ts';

/** A whole (non-streaming) answer: the first entry of the chain that answers within its limits. */
export async function wholeAnswer(
  ctx: Context,
  services: GatewayServices,
  served: ServedRequest,
  request: ChatCompletionRequest,
  needs: readonly Capability[],
  plan: CachePlan | undefined,
): Promise<void> {
  const { scope, resolution, outcome } = served;
  const answer = await services.router.answer(scope, resolution, needs, (provider, call) => provider.chat(request, call).then((c) => withChoices(c, call.resolved)));
  const resolved = outcome.resolved!;
  const completion = wantsJson(request) ? bareJsonCompletion(answer) : answer;
  completion.model = resolved;
  outcome.usage = completion.usage;
  const body = JSON.stringify(completion);
  ctx.set(RESOLVED_HEADER, resolved);
  ctx.status = 200;
  ctx.type = 'application/json';
  ctx.body = body;
  if (plan) services.cache.save(plan, 'chat', resolved, body);
}

/** A 200 without a choices list is the provider breaking its protocol: retryable, another entry may answer. */
function withChoices(completion: ChatCompletion, resolved: string): ChatCompletion {
  if (!completion || !Array.isArray(completion.choices)) throw new UpstreamProtocolError(`${resolved} returned an answer without choices`);
  return completion;
}
