import { CACHE_HEADER, COST_HEADER, RESOLVED_HEADER } from './headers.ts';
import type { Middleware } from 'koa';

const ALLOW_METHODS = 'GET,HEAD,POST,OPTIONS';
const ALLOW_HEADERS = ['Authorization', 'Content-Type', 'X-API-Key', 'X-Request-Id', 'Cache-Control'].join(',');
const EXPOSE_HEADERS = ['X-Request-Id', RESOLVED_HEADER, CACHE_HEADER, COST_HEADER, 'Retry-After'].join(',');
const MAX_AGE_SECONDS = '600';

/**
 * CORS from `CORS_ORIGINS`: exact origins, `*`, and port wildcards (`http://localhost:*`). A preflight
 * from an allowed origin is answered here (204); a request from an allowed origin gets the grant and the
 * gateway's headers exposed; any other origin simply gets no CORS headers. Written out rather than taken
 * from a general package because it runs on every request: no await, nothing computed twice.
 */
export function corsFromOrigins(origins: string[]): Middleware {
  const allowAll = origins.includes('*');
  const matchers = origins.filter((o) => o !== '*').map(originMatcher);
  return (ctx, next) => {
    // Whether a grant is given depends on Origin, so shared caches must keep answers apart by it.
    ctx.vary('Origin');
    const origin = ctx.req.headers.origin;
    if (!origin) return next();
    const allowed = allowAll ? '*' : matchers.some((m) => m(origin)) ? origin : undefined;
    if (!allowed) return next();
    ctx.set('Access-Control-Allow-Origin', allowed);
    if (ctx.method === 'OPTIONS' && ctx.req.headers['access-control-request-method']) {
      ctx.set('Access-Control-Allow-Methods', ALLOW_METHODS);
      ctx.set('Access-Control-Allow-Headers', ALLOW_HEADERS);
      ctx.set('Access-Control-Max-Age', MAX_AGE_SECONDS);
      ctx.status = 204;
      return Promise.resolve();
    }
    ctx.set('Access-Control-Expose-Headers', EXPOSE_HEADERS);
    return next();
  };
}

/** `http://localhost:*` matches that host on any port; anything else must match exactly. */
export function originMatcher(pattern: string): (origin: string) => boolean {
  const normalized = pattern.replace(/\/+$/, '');
  if (normalized.endsWith(':*')) {
    const base = normalized.slice(0, -2);
    return (origin) => origin === base || (origin.startsWith(`${base}:`) && /^\d+$/.test(origin.slice(base.length + 1)));
  }
  return (origin) => origin === normalized;
}
