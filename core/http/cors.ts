import cors from '@koa/cors';
import type { Context, Middleware } from 'koa';

/**
 * CORS from `CORS_ORIGINS`: exact origins, `*`, and port wildcards (`http://localhost:*`). Preflights are
 * answered; a request from an origin not on the list simply gets no CORS headers.
 */
export function corsFromOrigins(origins: string[]): Middleware {
  const allowAll = origins.includes('*');
  const matchers = origins.filter((o) => o !== '*').map(originMatcher);
  return cors({
    origin: (ctx: Context) => {
      const origin = ctx.get('origin');
      if (!origin) return '';
      if (allowAll) return '*';
      return matchers.some((m) => m(origin)) ? origin : '';
    },
    allowHeaders: ['Authorization', 'Content-Type', 'X-API-Key', 'X-Request-Id', 'Cache-Control'],
    exposeHeaders: ['X-Request-Id', 'X-Mana-LLM-Resolved', 'X-Mana-LLM-Cache', 'Retry-After'],
    maxAge: 600,
  });
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
