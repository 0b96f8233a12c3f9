import type { Middleware } from 'koa';
import { GatewayError, isGatewayError } from '../errors/gateway-error.ts';
import { InternalError } from '../errors/internal-error.ts';
import { InvalidRequestError } from '../errors/invalid-request-error.ts';
import type { Logger } from '../log/logger.ts';
import { ClientClosedError } from '../errors/client-closed-error.ts';

/**
 * Renders every failure as the OpenAI envelope `{error: {message, type, code, param}}` with its status —
 * the gateway's typed errors as they are, other 4xx errors (Koa's own) as 4xx, and anything unexpected as a 500
 * that is logged with its stack but shows the caller no internals.
 */
export function errorMiddleware(log: Logger): Middleware {
  return async (ctx, next) => {
    try {
      await next();
    } catch (thrown) {
      if (thrown instanceof ClientClosedError) return;
      const error = toGatewayError(thrown);
      if (error.status >= 500 && !isGatewayError(thrown)) {
        log.error({ err: thrown, requestId: ctx.vars.requestId, path: ctx.path }, 'unexpected error');
      }
      ctx.vars.error = error;
      if (ctx.headerSent || !ctx.writable) return;
      ctx.status = error.status;
      if (error.headers) ctx.set(error.headers);
      const envelope = error.toEnvelope();
      envelope.error.request_id = ctx.vars.requestId;
      ctx.type = 'application/json';
      ctx.body = JSON.stringify(envelope);
    }
  };
}

function toGatewayError(thrown: unknown): GatewayError {
  if (isGatewayError(thrown)) return thrown;
  const status = (thrown as { status?: unknown })?.status;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new InvalidRequestError((thrown as Error).message || 'Bad request', null, status);
  }
  return new InternalError(thrown);
}
