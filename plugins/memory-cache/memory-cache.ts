import { ByteLru, type ResponseCache } from '../../core/index.ts';
import type { MemoryCacheSettings } from './options.ts';

/** One instance's cache: TTLs arrive in seconds, as the core hands them; time comes from `now` (a test's clock). */
export function memoryCache(name: string, settings: MemoryCacheSettings, now: () => number = Date.now): ResponseCache {
  const lru = new ByteLru(settings.maxBytes, settings.maxEntryBytes, now);
  return {
    name,
    get: async (key) => lru.get(key),
    set: async (key, value, ttlSeconds) => lru.set(key, value, ttlSeconds * 1000),
    delete: async (key) => lru.delete(key),
    // Nothing outside the process can fail.
    healthy: () => true,
  };
}
