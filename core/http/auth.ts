import type { Middleware } from 'koa';
import type { CallerBook } from '../callers/caller-book.ts';
import { DEFAULT_CALLER } from '../callers/caller.ts';
import { UnauthorizedError } from '../errors/unauthorized-error.ts';
import { routePath } from './route-table.ts';

/** Paths that stay open with keys configured: liveness for load balancers and orchestrators. */
const ALWAYS_OPEN = ['/health'];

/**
 * Names the caller of every request from its key, sent as `Authorization: Bearer K` or `X-API-Key: K`, and
 * refuses a request without a known key (401). Keys are looked up by their SHA-256: what a lookup's time
 * could reveal is about a digest, never about the key. With no keys and no callers file everything is
 * open (the start logs a warning), `Authorization` is ignored, and every request is the caller `default`.
 */
export function auth(book: CallerBook, publicPaths: string[] = []): Middleware {
  const open = new Set([...ALWAYS_OPEN, ...publicPaths]);
  return (ctx, next) => {
    if (book.open || ctx.method === 'OPTIONS' || open.has(routePath(ctx.path))) {
      ctx.vars.caller = DEFAULT_CALLER;
      return next();
    }
    const presented = presentedKey(ctx.get('authorization'), ctx.get('x-api-key'));
    const caller = presented === undefined || presented === '' ? undefined : book.identify(presented);
    if (!caller) throw new UnauthorizedError();
    ctx.vars.caller = caller;
    return next();
  };
}

function presentedKey(authorization: string, apiKey: string): string | undefined {
  if (apiKey) return apiKey.trim();
  const match = /^Bearer\s+(.+)$/i.exec(authorization);
  return match ? match[1]!.trim() : undefined;
}
