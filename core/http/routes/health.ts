import type { Context } from 'koa';
import { sendJson } from '../respond.ts';
import type { GatewayServices } from '../services.ts';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** `degraded` while any configured provider is unhealthy. */
function overall(services: GatewayServices): 'ok' | 'degraded' {
  return services.health.all().some((p) => p.configured && !p.healthy) ? 'degraded' : 'ok';
}

/** `GET /health`: liveness (200 while the process serves) with each provider's state in a word. */
export function health(services: GatewayServices) {
  return (ctx: Context): void => {
    const providers: Record<string, 'healthy' | 'unhealthy' | 'unconfigured'> = {};
    for (const p of services.health.all()) providers[p.name] = !p.configured ? 'unconfigured' : p.healthy ? 'healthy' : 'unhealthy';
    sendJson(ctx, { status: overall(services), providers });
  };
}

/** `GET /v1/health`: every provider of the profile in detail, and the caches. */
export function healthDetail(services: GatewayServices) {
  return (ctx: Context): void => {
    sendJson(ctx, {
      status: overall(services),
      // Shared while the replicas' common store answers; local when there is none or it is away.
      state: services.shared?.healthy() ? 'shared' : 'local',
      replica: services.settings.replicaId,
      providers: services.health.all().map((p) => ({
        name: p.name,
        configured: p.configured,
        healthy: p.healthy,
        state: p.configured ? p.state : 'unconfigured',
        consecutiveFailures: p.consecutiveFailures,
        lastError: p.lastError,
        unhealthyUntil: iso(p.unhealthyUntil),
        lastProbeAt: iso(p.lastProbeAt),
      })),
      caches: services.registry.caches.map((c) => ({ name: c.name, healthy: c.healthy() })),
    });
  };
}
