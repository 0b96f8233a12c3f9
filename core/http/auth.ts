import { createHash, timingSafeEqual } from 'node:crypto';
import type { Middleware } from 'koa';
import { UnauthorizedError } from '../errors/unauthorized-error.ts';
import { DEFAULT_CALLER } from './request-vars.ts';
import { routePath } from './route-table.ts';

/** Paths that stay open with keys configured: liveness for load balancers and orchestrators. */
const ALWAYS_OPEN = ['/health'];

/**
 * Lets a request in only with one of `keys`, sent as `Authorization: Bearer K` or `X-API-Key: K`. Keys are
 * compared as SHA-256 digests in constant time, so neither length nor content leaks through timing. With
 * no keys configured everything is open (the start logs a warning), `Authorization` is ignored, and there
 * is no middleware to mount (undefined).
 */
export function auth(keys: string[], publicPaths: string[] = []): Middleware | undefined {
  if (keys.length === 0) return undefined;
  const digests = keys.map(digest);
  const open = new Set([...ALWAYS_OPEN, ...publicPaths]);
  return (ctx, next) => {
    if (ctx.method === 'OPTIONS' || open.has(routePath(ctx.path))) return next();
    const presented = presentedKey(ctx.get('authorization'), ctx.get('x-api-key'));
    const presentedDigest = presented === undefined ? undefined : digest(presented);
    if (presentedDigest === undefined || !matches(presentedDigest, digests)) throw new UnauthorizedError();
    // Callers with different keys do not share cached answers; the key itself is never kept.
    ctx.vars.caller = { name: DEFAULT_CALLER.name, cacheScope: `key:${presentedDigest.toString('hex', 0, 16)}` };
    return next();
  };
}

function presentedKey(authorization: string, apiKey: string): string | undefined {
  if (apiKey) return apiKey.trim();
  const match = /^Bearer\s+(.+)$/i.exec(authorization);
  return match ? match[1]!.trim() : undefined;
}

function digest(key: string): Buffer {
  return createHash('sha256').update(key).digest();
}

function matches(candidate: Buffer, digests: Buffer[]): boolean {
  let found = false;
  for (const d of digests) found = timingSafeEqual(candidate, d) || found;
  return found;
}
