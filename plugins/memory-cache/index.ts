// An in-process response cache for profiles without Redis: an LRU bounded in bytes, lost on restart.
import { definePlugin } from '../../core/index.ts';
import { memoryCache } from './memory-cache.ts';
import { optionsSchema, resolveOptions, type MemoryCacheOptions } from './options.ts';

export default definePlugin<'cache', MemoryCacheOptions>({
  name: 'memory-cache',
  kind: 'cache',
  optionsSchema,
  create: (ctx, options) => memoryCache(ctx.name, resolveOptions(options)),
});
