// The usage ledger on Redis (ioredis), shared by every replica that uses the same REDIS_URL. Enabled
// when REDIS_URL is set; without it the gateway keeps usage in memory. Redis trouble never fails a request.
import { definePlugin, type UsageLedger } from '../../core/index.ts';
import { connectRedis } from '../redis-cache/connection.ts';
import { optionsSchema as cacheOptionsSchema, resolveOptions, unconfiguredReason, type RedisCacheOptions } from '../redis-cache/options.ts';
import { redisUsageLedger } from './redis-usage-ledger.ts';

const KEY_PREFIX = 'mana-llm:usage:';

export default definePlugin<'usage', RedisCacheOptions>({
  name: 'redis-usage',
  kind: 'usage',
  // The same connection options as the cache; the value-size bound means nothing here and is ignored.
  optionsSchema: { ...cacheOptionsSchema, properties: { ...cacheOptionsSchema.properties, keyPrefix: { type: 'string', default: KEY_PREFIX } } },
  unconfigured: unconfiguredReason,
  async create(ctx, options): Promise<UsageLedger> {
    const settings = resolveOptions({ ...options, keyPrefix: options.keyPrefix ?? KEY_PREFIX });
    const { client, health } = await connectRedis(ctx, settings, {
      lost: 'redis usage ledger is unreachable; usage is not recorded until it is back',
      back: 'redis usage ledger is back; usage is recorded again',
    });
    return redisUsageLedger(ctx.name, client, health, settings.keyPrefix);
  },
});
