// The operator console: one read-only page at GET /console (the `path` option) showing providers, what
// each alias entry would do now, the last hour's traffic, today's usage per caller and the last requests.
// The page and its assets are public (they hold no data); the data route needs a key, and an admin caller
// while a callers file is in force. Fed by core events; it never sees a prompt, an answer or a key.

import { definePlugin, type Observer } from '../../core/index.ts';
import { loadAssets, serveAsset } from './assets.ts';
import { MinuteSeries } from './minute-series.ts';
import { optionsSchema, resolveOptions, type ConsoleOptions } from './options.ts';
import { RecentRequests, summarize } from './recent-requests.ts';

export default definePlugin<'observer', ConsoleOptions>({
  name: 'console',
  kind: 'observer',
  optionsSchema,
  create(ctx, options): Observer {
    const settings = resolveOptions(options);
    const recent = new RecentRequests(settings.recentRequests);
    const series = new MinuteSeries();
    const stop = ctx.events.on('request.end', (event) => {
      const at = Date.now();
      recent.add(summarize(event, at));
      series.record(at, event.status, event.clientAborted, event.ttftMs);
    });
    ctx.onClose(stop);

    for (const asset of loadAssets(settings.path)) {
      ctx.addRoute({ method: 'GET', path: asset.path, public: true, handler: (request) => serveAsset(asset, request) });
    }
    ctx.addRoute({
      method: 'GET',
      path: `${settings.path}/state`,
      admin: true,
      handler() {
        const now = Date.now();
        const state = {
          replica: ctx.gateway.replica,
          now,
          refreshSeconds: settings.refreshSeconds,
          state: ctx.gateway.stateMode(),
          providers: ctx.gateway.providerStates(),
          aliases: ctx.gateway.aliasOutlook(),
          series: series.read(now),
          recent: recent.list(),
        };
        return { headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' }, body: JSON.stringify(state) };
      },
    });
    return {};
  },
});
