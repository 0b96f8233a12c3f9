import type { Context, Middleware } from 'koa';
import { MethodNotAllowedError } from '../errors/method-not-allowed-error.ts';

export type RouteHandler = (ctx: Context) => Promise<void> | void;
type Method = 'GET' | 'POST' | 'DELETE';

declare module 'koa' {
  interface ExtendableContext {
    /** Path parameters of the route that matched (`/v1/models/*id` → `id`). */
    params?: Record<string, string>;
  }
}

/**
 * The gateway's routes: a handful of fixed paths, looked up in a map, and one prefix with a trailing
 * parameter (`/v1/models/*id`, whose ids hold `/`). A general router matches every pattern in turn and
 * builds a middleware chain per request; none of that is needed here. A known path asked with another
 * method gets a 405 naming the methods it takes (HEAD is answered by GET, OPTIONS lists them). One
 * trailing slash is ignored.
 */
export class RouteTable {
  private readonly exact = new Map<string, Map<string, RouteHandler>>();
  private readonly prefixed: Array<{ prefix: string; param: string; methods: Map<string, RouteHandler> }> = [];

  get(path: string, handler: RouteHandler): this {
    return this.add('GET', path, handler);
  }

  post(path: string, handler: RouteHandler): this {
    return this.add('POST', path, handler);
  }

  delete(path: string, handler: RouteHandler): this {
    return this.add('DELETE', path, handler);
  }

  /** `path` is fixed, or ends in `/*name` to take the rest of the path (decoded) as `ctx.params[name]`. */
  add(method: Method, path: string, handler: RouteHandler): this {
    const wildcard = /^(.*\/)\*(\w+)$/.exec(path);
    let methods: Map<string, RouteHandler> | undefined;
    if (wildcard) {
      const [, prefix, param] = wildcard;
      methods = this.prefixed.find((p) => p.prefix === prefix && p.param === param)?.methods;
      if (!methods) this.prefixed.push({ prefix: prefix!, param: param!, methods: (methods = new Map()) });
    } else {
      methods = this.exact.get(path);
      if (!methods) this.exact.set(path, (methods = new Map()));
    }
    if (methods.has(method)) throw new Error(`route ${method} ${path} is defined twice`);
    methods.set(method, handler);
    return this;
  }

  /** Whether `method path` (a fixed path) already has a handler. */
  serves(method: Method, path: string): boolean {
    return this.exact.get(path)?.has(method) === true;
  }

  /** Serves the request when a route matches its path; otherwise hands it on (to the 404). */
  middleware(): Middleware {
    return async (ctx, next) => {
      const path = routePath(ctx.path);
      const methods = this.exact.get(path) ?? this.matchPrefix(ctx, path);
      if (!methods) return next();
      const handler = methods.get(ctx.method) ?? (ctx.method === 'HEAD' ? methods.get('GET') : undefined);
      if (handler) return handler(ctx);
      const allowed = [...methods.keys()];
      if (allowed.includes('GET')) allowed.push('HEAD');
      if (ctx.method === 'OPTIONS') {
        ctx.status = 204;
        ctx.set('Allow', [...allowed, 'OPTIONS'].join(', '));
        return;
      }
      throw new MethodNotAllowedError(ctx.method, path, allowed);
    };
  }

  private matchPrefix(ctx: Context, path: string): Map<string, RouteHandler> | undefined {
    for (const { prefix, param, methods } of this.prefixed) {
      if (!path.startsWith(prefix) || path.length === prefix.length) continue;
      ctx.params = { [param]: decodeOrKeep(path.slice(prefix.length)) };
      return methods;
    }
    return undefined;
  }
}

/** The path as routes are matched: one trailing slash is forgiven (`/v1/chat/completions/`), as general routers do. */
export function routePath(path: string): string {
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

/** Broken percent-encoding is kept as sent: the id is then simply not found, which says more than a 400. */
function decodeOrKeep(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}
