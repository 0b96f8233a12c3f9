// One Redis connection as the Redis plugins use it: tuned so Redis trouble costs a request at most a
// command timeout, followed so an outage is logged once, and closed with the plugin.
import { once } from 'node:events';
import type { Redis, RedisOptions } from 'ioredis';
import type { PluginContext } from '../../core/index.ts';
import { ConnectionHealth, redactedTarget, type OutageWords } from './connection-health.ts';
import type { RedisCacheSettings } from './options.ts';
import { createRedisClient } from './redis-client.ts';

export interface RedisConnection {
  client: Redis;
  health: ConnectionHealth;
}

/** Opens the connection, waits (briefly) for it to be ready, and closes it with the plugin. */
export async function connectRedis(ctx: Pick<PluginContext, 'log' | 'onClose'>, settings: RedisCacheSettings, words?: OutageWords, extra?: RedisOptions): Promise<RedisConnection> {
  const health = new ConnectionHealth(ctx.log, redactedTarget(settings.url), undefined, words);
  const client = createRedisClient(settings, extra);
  followConnection(client, health);
  ctx.onClose(() => quit(client, health));
  await firstConnection(client, settings.connectTimeoutMs);
  return { client, health };
}

export function followConnection(client: Redis, health: ConnectionHealth): void {
  // The error says why (ECONNREFUSED); the close that follows it says only that the connection is gone.
  let lastError: string | undefined;
  client.on('ready', () => {
    lastError = undefined;
    health.ready();
  });
  client.on('error', (err: Error) => {
    lastError = err.message || String(err);
    // A stray error on a connection that still serves is no outage; a dead connection always closes.
    if (client.status !== 'ready') health.lost(lastError);
  });
  client.on('close', () => health.lost(lastError ?? 'connection closed'));
  client.on('end', () => health.lost(lastError ?? 'connection ended'));
}

/**
 * Waits (at most `timeoutMs`) for the first connection to be ready or to fail, so the gateway's first
 * requests can already use a reachable Redis; an unreachable one does not hold up the start.
 */
async function firstConnection(client: Redis, timeoutMs: number): Promise<void> {
  if (client.status === 'ready') return;
  const settled = new AbortController();
  const timer = setTimeout(() => settled.abort(), timeoutMs);
  try {
    await Promise.race([
      once(client, 'ready', { signal: settled.signal }),
      once(client, 'close', { signal: settled.signal }),
      // `once` rejects on 'error' by itself; that too means the first attempt is over.
    ]).catch(() => undefined);
  } finally {
    clearTimeout(timer);
    settled.abort();
  }
}

/** QUIT lets Redis finish what it has; when Redis is away there is nothing to finish, so just drop it. */
async function quit(client: Redis, health: ConnectionHealth): Promise<void> {
  health.stop();
  if (client.status === 'ready') {
    try {
      await client.quit();
      return;
    } catch {
      // Slow or gone mid-quit: fall through and drop the connection.
    }
  }
  client.disconnect();
}
