import type { Context } from 'koa';
import type { CachePlan, StoredAnswer } from '../../cache/answer-cache.ts';
import { parseCacheControl } from '../../cache/cache-control.ts';
import type { RequestOutcome } from '../../routing/request-outcome.ts';
import { chainEntry } from '../../routing/model-resolver.ts';
import { CACHE_HEADER } from '../headers.ts';
import type { GatewayServices } from '../services.ts';
import type { ServedRequest } from './model-request.ts';

const NO_CACHE: { plan?: CachePlan; hit?: StoredAnswer } = Object.freeze({});

/**
 * The cache step of a model route: plans the lookup for this request (key, caller's Cache-Control, the
 * TTL of the alias being walked), looks it up, sets `X-Mana-LLM-Cache` and the outcome, and hands back a
 * hit when there is one. Without a cache plugin it does nothing and sets no header.
 */
/** Records a cached answer as the request's outcome, as the router records an answering entry. */
export function answeredFromCache(outcome: RequestOutcome, stored: Extract<StoredAnswer, { kind: 'chat' }>): void {
  const { resolved, completion } = stored;
  const { provider, model } = chainEntry(resolved);
  Object.assign(outcome, { resolved, provider, model, usage: completion.usage });
  completion.model = resolved;
}

export async function cacheLookup(
  ctx: Context,
  services: GatewayServices,
  served: ServedRequest,
  body: Record<string, unknown>,
  /** What kind of answer is stored: a Responses request is cached as the chat request it becomes, and shares its entries. */
  route: 'chat' | 'embeddings',
): Promise<{ plan?: CachePlan; hit?: StoredAnswer }> {
  if (!services.cache.enabled) return NO_CACHE;
  const { resolution, outcome } = served;
  const plan = services.cache.plan({
    route,
    chain: resolution.chain.map((e) => e.resolved),
    body,
    callerScope: ctx.vars.caller.cacheScope,
    control: parseCacheControl(ctx.get('cache-control')),
    aliasTtlSeconds: resolution.alias?.cacheTtl,
  });
  if (!plan) return {};
  const { result, answer } = await services.cache.lookup(plan, ctx.vars.requestId);
  outcome.cache = result;
  ctx.set(CACHE_HEADER, result === 'error' ? 'miss' : result);
  return answer && answer.kind === route ? { plan, hit: answer } : { plan };
}
