import { Redis, type RedisOptions } from 'ioredis';
import type { RedisCacheSettings } from './options.ts';

/** Reconnect delays grow by 200 ms per attempt up to 2 s, and never stop: Redis may come back any time. */
export function reconnectDelay(attempt: number): number {
  return Math.min(attempt * 200, 2000);
}

/**
 * An ioredis client tuned so that Redis trouble costs a request at most `commandTimeoutMs`: a slow
 * command rejects at the timeout, and while the connection is down commands reject at once instead of
 * waiting in ioredis' offline queue for a reconnect that may take minutes.
 */
export function createRedisClient(settings: RedisCacheSettings, extra: RedisOptions = {}): Redis {
  return new Redis(settings.url, {
    commandTimeout: settings.commandTimeoutMs,
    connectTimeout: settings.connectTimeoutMs,
    enableOfflineQueue: false,
    // Commands in flight when the connection drops fail with it rather than being retried on a later
    // connection: the caller has long been answered uncached, and a late SET would only surprise.
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    retryStrategy: reconnectDelay,
    // CLIENT SETINFO is unknown before Redis 7.2; skipping it saves two round trips per connect.
    disableClientInfo: true,
    ...extra,
  });
}
