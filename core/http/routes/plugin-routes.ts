import type { CallerBook } from '../../callers/caller-book.ts';
import { ForbiddenError } from '../../errors/forbidden-error.ts';
import { StartupError } from '../../errors/startup-error.ts';
import type { PluginRoute } from '../../plugin/define-plugin.ts';
import type { RouteTable } from '../route-table.ts';

/**
 * Mounts the routes plugins added (`GET /metrics`) on the gateway's route table. A plugin route that
 * another route already serves stops the start, naming the plugin: two handlers for one path would
 * otherwise leave one of them silently unreachable. A route that shows everyone's data (`admin`) is read
 * only by an `admin` caller while a callers file is in force.
 */
export function mountPluginRoutes(table: RouteTable, routes: Array<PluginRoute & { plugin: string }>, callers: CallerBook): void {
  for (const route of routes) {
    if (table.serves(route.method, route.path)) {
      throw new StartupError('MANA_ERR_PLUGIN_CREATE', `plugin "${route.plugin}" adds the route ${route.method} ${route.path}, which the gateway already serves; give the plugin another path`);
    }
    table.add(route.method, route.path, async (ctx) => {
      if (route.admin && callers.hasCallersFile && !ctx.vars.caller.admin) {
        throw new ForbiddenError(`${route.path} shows every caller's traffic: it needs the key of an admin caller (admin: true in the callers file); caller "${ctx.vars.caller.name}" is not one.`);
      }
      const result = await route.handler(ctx.req);
      ctx.status = result.status ?? 200;
      if (result.headers) ctx.set(result.headers);
      ctx.body = result.body;
    });
  }
}
