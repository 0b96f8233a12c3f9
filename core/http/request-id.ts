import { randomUUID } from 'node:crypto';
import type { Middleware } from 'koa';
import { DEFAULT_CALLER } from './request-vars.ts';

const ACCEPTABLE = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Starts the request's typed context with its id: the caller's `X-Request-Id` when it is a sane token,
 * else a new UUID. It is echoed in the response header, and later in the request log and in error bodies.
 */
export function requestId(): Middleware {
  return (ctx, next) => {
    const given = ctx.req.headers['x-request-id'];
    const id = typeof given === 'string' && ACCEPTABLE.test(given) ? given : randomUUID();
    ctx.vars = { requestId: id, caller: DEFAULT_CALLER };
    ctx.set('X-Request-Id', id);
    return next();
  };
}
