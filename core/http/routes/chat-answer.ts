import type { Context } from 'koa';
import type { CachePlan } from '../../cache/answer-cache.ts';
import type { ChatCompletionRequest } from '../../contracts/openai.ts';
import type { Capability } from '../../contracts/provider.ts';
import type { GatewayServices } from '../services.ts';
import type { ServedRequest } from './model-request.ts';

/**
 * One way of answering a served chat request (whole, or streamed): the request as vetted, what it needs
 * from a model (read once), and where a fresh answer is stored when a cache plugin is loaded.
 */
export type ChatAnswer = (
  ctx: Context,
  services: GatewayServices,
  served: ServedRequest,
  request: ChatCompletionRequest,
  needs: readonly Capability[],
  plan: CachePlan | undefined,
) => Promise<void>;
