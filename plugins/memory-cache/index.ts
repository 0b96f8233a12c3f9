// An in-process response cache for profiles without Redis: an LRU bounded in bytes, lost on restart.
import { definePlugin, type ResponseCache } from '../../core/index.ts';
import { ByteLru } from './byte-lru.ts';
import { optionsSchema, resolveOptions, type MemoryCacheOptions } from './options.ts';

export default definePlugin<'cache', MemoryCacheOptions>({
  name: 'memory-cache',
  kind: 'cache',
  optionsSchema,
  create(ctx, options): ResponseCache {
    const settings = resolveOptions(options);
    const lru = new ByteLru(settings.maxBytes, settings.maxEntryBytes);
    return {
      name: ctx.name,
      get: async (key) => lru.get(key),
      set: async (key, value, ttlSeconds) => lru.set(key, value, ttlSeconds * 1000),
      // Nothing outside the process can fail.
      healthy: () => true,
    };
  },
});
