import type { PluginRoute } from '../../plugin/define-plugin.ts';
import type { RouteTable } from '../route-table.ts';

/** Mounts the routes plugins added (`GET /metrics`) on the gateway's route table. */
export function mountPluginRoutes(table: RouteTable, routes: PluginRoute[]): void {
  for (const route of routes) {
    table.add(route.method, route.path, async (ctx) => {
      const result = await route.handler(ctx.req);
      ctx.status = result.status ?? 200;
      if (result.headers) ctx.set(result.headers);
      ctx.body = result.body;
    });
  }
}
