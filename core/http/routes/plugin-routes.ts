import type Router from '@koa/router';
import type { PluginRoute } from '../../plugin/define-plugin.ts';

/** Mounts the routes plugins added (`GET /metrics`) on the gateway's router. */
export function mountPluginRoutes(router: Router, routes: PluginRoute[]): void {
  for (const route of routes) {
    const method = route.method === 'GET' ? 'get' : 'post';
    router[method](route.path, async (ctx) => {
      const result = await route.handler(ctx.req);
      ctx.status = result.status ?? 200;
      if (result.headers) ctx.set(result.headers);
      ctx.body = result.body;
    });
  }
}
