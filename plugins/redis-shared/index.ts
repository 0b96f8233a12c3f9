// What replicas that share one REDIS_URL count together: circuits and Retry-After holds, the half-open
// trial, a capped provider's slots, callers' limits. Enabled when REDIS_URL is set; while Redis is away
// each replica runs on its own state, and no request fails for it.
import { RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';
import { definePlugin, type SharedState } from '../../core/index.ts';
import { connectRedis } from '../redis-cache/connection.ts';
import { optionsSchema as cacheOptionsSchema, resolveOptions, unconfiguredReason, type RedisCacheOptions } from '../redis-cache/options.ts';
import { createRedisClient } from '../redis-cache/redis-client.ts';
import { redisCircuits } from './redis-circuits.ts';
import { redisLeases } from './redis-leases.ts';
import { Subscriber } from './subscriber.ts';

const KEY_PREFIX = 'mana-llm:shared:';
const LEASE_TTL_MS = 5000;
// Every request to a capped provider, or of a caller with limits, sends a few small commands; the ones
// issued in the same tick go out in one write (a syscall each was most of their cost).
const AUTO_PIPELINING = { enableAutoPipelining: true };

interface SharedStateOptions extends RedisCacheOptions {
  /** How long a dead replica's leases outlive its last refresh. */
  leaseTtlMs?: number;
}

export default definePlugin<'shared-state', SharedStateOptions>({
  name: 'redis-shared',
  kind: 'shared-state',
  // The cache's connection options; the value-size bound means nothing here and is ignored.
  optionsSchema: {
    ...cacheOptionsSchema,
    properties: {
      ...cacheOptionsSchema.properties,
      keyPrefix: { type: 'string', default: KEY_PREFIX },
      leaseTtlMs: { type: 'integer', minimum: 1000, default: LEASE_TTL_MS },
    },
  },
  unconfigured: unconfiguredReason,
  async create(ctx, options): Promise<SharedState> {
    const settings = resolveOptions({ ...options, keyPrefix: options.keyPrefix ?? KEY_PREFIX });
    const { client, health } = await connectRedis(ctx, settings, {
      lost: 'redis shared state is unreachable; this replica runs on its own circuits, caps and limits until it is back',
      back: 'redis shared state is back; this replica rejoins the others',
    }, AUTO_PIPELINING);
    const subscriberClient = createRedisClient(settings);
    // Its own errors repeat the main connection's outage, which is already logged once.
    subscriberClient.on('error', () => undefined);
    ctx.onClose(() => subscriberClient.disconnect());
    const subscriber = new Subscriber(subscriberClient);
    return {
      name: ctx.name,
      circuits: redisCircuits(client, subscriber, settings.keyPrefix),
      leases: redisLeases(client, subscriber, settings.keyPrefix, options.leaseTtlMs ?? LEASE_TTL_MS, ctx.log),
      rateLimiter: ({ keyPrefix, points, duration }) =>
        new RateLimiterRedis({
          storeClient: client,
          keyPrefix: settings.keyPrefix + keyPrefix,
          points,
          duration,
          // Redis away: count in this process meanwhile rather than wait for a command to time out.
          rejectIfRedisNotReady: true,
          insuranceLimiter: new RateLimiterMemory({ keyPrefix, points, duration }),
        }),
      healthy: () => health.healthy(),
      onRejoin: (listener) => health.onBack(listener),
    };
  },
});
