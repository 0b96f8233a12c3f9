import type { Context } from 'koa';
import { ModelNotFoundError } from '../../errors/model-not-found-error.ts';
import { sendJson } from '../respond.ts';
import type { GatewayServices } from '../services.ts';

function notFound(id: string): ModelNotFoundError {
  return new ModelNotFoundError(`No stored response "${id}" for this caller: it is unknown, expired (RESPONSE_STORE_TTL), deleted, or was made with store: false.`, { param: null });
}

/** `GET /v1/responses/{id}`: a stored response, for the caller that made it only. */
export function getStoredResponse(services: GatewayServices) {
  return async (ctx: Context): Promise<void> => {
    const id = ctx.params?.id ?? '';
    const stored = await services.responseStore.load(ctx.vars.caller.cacheScope, id);
    if (!stored) throw notFound(id);
    sendJson(ctx, stored.response);
  };
}

/** `DELETE /v1/responses/{id}`: removes it; answers as OpenAI does (`{id, object, deleted}`). */
export function deleteStoredResponse(services: GatewayServices) {
  return async (ctx: Context): Promise<void> => {
    const id = ctx.params?.id ?? '';
    if (!(await services.responseStore.delete(ctx.vars.caller.cacheScope, id))) throw notFound(id);
    sendJson(ctx, { id, object: 'response', deleted: true });
  };
}
