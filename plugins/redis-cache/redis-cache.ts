import type { Redis } from 'ioredis';
import type { ResponseCache } from '../../core/index.ts';
import type { ConnectionHealth } from './connection-health.ts';
import type { RedisCacheSettings } from './options.ts';

/**
 * The ResponseCache face over one client. It adds nothing to the client's own failure handling: a
 * command that fails or times out rejects, which the core counts as a cache error and answers uncached.
 */
export function redisResponseCache(
  name: string,
  client: Redis,
  health: ConnectionHealth,
  settings: Pick<RedisCacheSettings, 'keyPrefix' | 'maxValueBytes'>,
): Omit<ResponseCache, 'close'> {
  return {
    name,
    async get(key) {
      const value = await client.get(settings.keyPrefix + key);
      return value ?? undefined;
    },
    async set(key, value, ttlSeconds) {
      // A TTL below one second cannot be said with EX; such an answer is not worth a round trip anyway.
      const ttl = Math.floor(ttlSeconds);
      if (!(ttl >= 1)) return;
      if (Buffer.byteLength(value) > settings.maxValueBytes) return;
      await client.set(settings.keyPrefix + key, value, 'EX', ttl);
    },
    async delete(key) {
      await client.del(settings.keyPrefix + key);
    },
    healthy: () => health.healthy(),
  };
}
