import type { Context } from 'koa';
import type { CachePlan } from '../../cache/answer-cache.ts';
import type { ChatCompletionRequest } from '../../contracts/openai.ts';
import type { Capability } from '../../contracts/provider.ts';
import type { ChainEntry } from '../../routing/model-resolver.ts';
import type { RequestScope } from '../../routing/request-scope.ts';
import type { GatewayServices } from '../services.ts';
import type { RequestOutcome } from './request-lifecycle.ts';

/** Everything one way of answering a chat request needs. */
export interface ChatAnswer {
  ctx: Context;
  services: GatewayServices;
  request: ChatCompletionRequest;
  /** What the request needs from a model (request-needs.ts), read once. */
  needs: Capability[];
  chain: ChainEntry[];
  scope: RequestScope;
  outcome: RequestOutcome;
  /** Set when a cache plugin is loaded: where a fresh answer is stored. */
  plan?: CachePlan;
}
