// The response cache on Redis (ioredis). Enabled when REDIS_URL is set; Redis trouble never fails a request.
import { definePlugin, type ResponseCache } from '../../core/index.ts';
import { connectRedis } from './connection.ts';
import { optionsSchema, resolveOptions, unconfiguredReason, type RedisCacheOptions } from './options.ts';
import { redisResponseCache } from './redis-cache.ts';

export default definePlugin<'cache', RedisCacheOptions>({
  name: 'redis-cache',
  kind: 'cache',
  optionsSchema,
  unconfigured: unconfiguredReason,
  async create(ctx, options): Promise<ResponseCache> {
    const settings = resolveOptions(options);
    const { client, health } = await connectRedis(ctx, settings);
    return redisResponseCache(ctx.name, client, health, settings);
  },
});
