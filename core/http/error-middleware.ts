import type { Middleware } from 'koa';
import { GatewayError, isGatewayError } from '../errors/gateway-error.ts';
import { InvalidRequestError } from '../errors/invalid-request-error.ts';
import { PayloadTooLargeError } from '../errors/payload-too-large-error.ts';
import type { Logger } from '../log/logger.ts';
import { ClientClosedError } from '../routing/client-closed-error.ts';

/**
 * Renders every failure as the OpenAI envelope `{error: {message, type, code, param}}` with its status —
 * the gateway's typed errors as they are, body-parser errors as 400/413, and anything unexpected as a 500
 * that is logged with its stack but shows the caller no internals.
 */
export function errorMiddleware(log: Logger, maxBodySize: string): Middleware {
  return async (ctx, next) => {
    try {
      await next();
    } catch (thrown) {
      if (thrown instanceof ClientClosedError) return;
      const error = toGatewayError(thrown, maxBodySize);
      if (error.status >= 500 && !isGatewayError(thrown)) {
        log.error({ err: thrown, requestId: ctx.state.requestId, path: ctx.path }, 'unexpected error');
      }
      ctx.state.error = error;
      if (ctx.headerSent || !ctx.writable) return;
      ctx.status = error.status;
      if (error.headers) ctx.set(error.headers);
      const envelope = error.toEnvelope();
      if (ctx.state.requestId) envelope.error.request_id = ctx.state.requestId;
      ctx.type = 'application/json';
      ctx.body = JSON.stringify(envelope);
    }
  };
}

function toGatewayError(thrown: unknown, maxBodySize: string): GatewayError {
  if (isGatewayError(thrown)) return thrown;
  const status = (thrown as { status?: unknown })?.status;
  const type = (thrown as { type?: unknown })?.type;
  if (status === 413 || type === 'entity.too.large') return new PayloadTooLargeError(maxBodySize);
  if (type === 'entity.parse.failed' || (thrown instanceof SyntaxError && status === 400)) {
    return new InvalidRequestError(`The request body is not valid JSON: ${(thrown as Error).message}`);
  }
  if (type === 'encoding.unsupported' || type === 'charset.unsupported') {
    return new InvalidRequestError(`The request body's encoding is not supported: ${(thrown as Error).message}`);
  }
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new InvalidRequestError((thrown as Error).message || 'Bad request', null, status);
  }
  return new GatewayError('The gateway failed unexpectedly; the error is logged with this request id.', {
    status: 500,
    code: 'internal_error',
    cause: thrown,
  });
}
