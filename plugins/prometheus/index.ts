// The Prometheus observer: the CONTRACT's metrics, fed by core events, served on GET /metrics (or the
// `path` option). The core knows nothing of prom-client; this plugin knows nothing of the core's insides.

import { Registry } from 'prom-client';
import { UnauthorizedError, definePlugin, type Observer } from '../../core/index.ts';
import { KnownModels } from './known-models.ts';
import { eventLoopDelayMetrics } from './event-loop-delay.ts';
import { createMetrics } from './metrics.ts';
import { observe } from './observer.ts';
import { optionsSchema, resolveOptions, type PrometheusOptions } from './options.ts';
import { processMetrics } from './process-metrics.ts';
import { presentedToken, tokenMatches } from './scrape-token.ts';

export default definePlugin<'observer', PrometheusOptions>({
  name: 'prometheus',
  kind: 'observer',
  optionsSchema,
  create(ctx, options): Observer {
    const settings = resolveOptions(options);
    const metrics = createMetrics({ duration: settings.durationBuckets, ttft: settings.ttftBuckets });
    const exposed = Registry.merge([metrics.registry, eventLoopDelayMetrics(), ...(settings.defaultMetrics ? [processMetrics()] : [])]);
    const observer = observe(ctx.events, metrics, ctx.gateway, new KnownModels());

    const token = settings.token;
    ctx.addRoute({
      method: 'GET',
      path: settings.path,
      public: token !== undefined,
      async handler(request) {
        if (token !== undefined && !tokenMatches(presentedToken(request.headers), token)) {
          throw new UnauthorizedError(`${settings.path} needs the scrape token of the prometheus plugin: send it as "Authorization: Bearer <token>".`);
        }
        observer.seedHealth();
        return { headers: { 'Content-Type': exposed.contentType, 'Cache-Control': 'no-store' }, body: await exposed.metrics() };
      },
    });
    ctx.onClose(() => observer.stop());
    return {};
  },
});
