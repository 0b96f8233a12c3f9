// The operator console: one read-only page at GET /console (the `path` option) showing providers, what
// each alias entry would do now, the last hour's traffic, today's usage per caller and the last requests.
// The page and its assets are public (they hold no data); the data route needs a key, and an admin caller
// while a callers file is in force. Fed by core events; it never sees a prompt, an answer or a key.

import { definePlugin, type Observer } from '../../core/index.ts';
import { connectRedis } from '../redis-cache/connection.ts';
import { resolveOptions as redisSettings } from '../redis-cache/options.ts';
import { loadAssets, serveAsset } from './assets.ts';
import { MinuteSeries, seriesOf } from './minute-series.ts';
import { optionsSchema, resolveOptions, type ConsoleOptions } from './options.ts';
import { RecentRequests, summarize } from './recent-requests.ts';
import { SharedActivity } from './shared-activity.ts';

/** How long the data route waits for the shared activity before it shows this replica's own. */
const SHARED_READ_TIMEOUT_MS = 500;

export default definePlugin<'observer', ConsoleOptions>({
  name: 'console',
  kind: 'observer',
  optionsSchema,
  async create(ctx, options): Promise<Observer> {
    const settings = resolveOptions(options);
    const recent = new RecentRequests(settings.recentRequests);
    const series = new MinuteSeries();
    const shared = settings.redisUrl ? await sharedActivity(ctx, settings.redisUrl, settings.keyPrefix, settings.recentRequests) : undefined;
    const stop = ctx.events.on('request.end', (event) => {
      const at = Date.now();
      const summary = summarize(event, at);
      recent.add(summary);
      series.record(at, event.status, event.clientAborted, event.ttftMs);
      shared?.record(summary, event.status, event.clientAborted, event.ttftMs);
    });
    ctx.onClose(stop);

    for (const asset of loadAssets(settings.path)) {
      ctx.addRoute({ method: 'GET', path: asset.path, public: true, handler: (request) => serveAsset(asset, request) });
    }
    ctx.addRoute({
      method: 'GET',
      path: `${settings.path}/state`,
      admin: true,
      async handler() {
        const now = Date.now();
        // Every replica's requests when they share a Redis that answers; else what this one served.
        const everyReplica = shared ? await shared.read(now).catch(() => undefined) : undefined;
        const state = {
          replica: ctx.gateway.replica,
          now,
          refreshSeconds: settings.refreshSeconds,
          state: ctx.gateway.stateMode(),
          activity: everyReplica ? 'shared' : 'local',
          providers: ctx.gateway.providerStates(),
          aliases: ctx.gateway.aliasOutlook(),
          series: everyReplica ? seriesOf(everyReplica.countsOf, now) : series.read(now),
          recent: everyReplica ? everyReplica.recent : recent.list(),
        };
        return { headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' }, body: JSON.stringify(state) };
      },
    });
    return {};
  },
});

async function sharedActivity(ctx: Parameters<typeof connectRedis>[0], url: string, keyPrefix: string, capacity: number): Promise<SharedActivity> {
  const { client, health } = await connectRedis(
    ctx,
    { ...redisSettings({ url, keyPrefix }), commandTimeoutMs: SHARED_READ_TIMEOUT_MS },
    {
      lost: "redis is unreachable; the console shows this replica's own requests until it is back",
      back: "redis is back; the console shows every replica's requests again",
    },
  );
  const activity = new SharedActivity(client, () => health.healthy(), keyPrefix, capacity);
  ctx.onClose(async () => {
    activity.stop();
    await activity.flush();
  });
  return activity;
}
