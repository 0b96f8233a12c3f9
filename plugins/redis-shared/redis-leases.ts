import type { Redis } from 'ioredis';
import { Semaphore } from 'redis-semaphore';
import type { Logger } from '../../core/index.ts';
import type { SharedLeases } from '../../core/contracts/shared-state.ts';
import type { Subscriber } from './subscriber.ts';

/**
 * redis-semaphore refreshes a held lease on a timer, and a refresh that fails (Redis away) would reject
 * inside that timer, where nobody can catch it. A failed refresh here counts as "still held": the lease
 * is ours until it lapses in Redis, and the next refresh tries again.
 */
class Lease extends Semaphore {
  protected override async _refresh(): Promise<boolean> {
    try {
      return await super._refresh();
    } catch {
      return true;
    }
  }
}

/**
 * Leases on Redis sorted sets (redis-semaphore: one Lua script acquires a slot under the limit after
 * dropping lapsed ones). A lease is refreshed every third of `ttlMs` while held, so a replica that dies
 * keeps its slots at most `ttlMs` after its last refresh. Giving one back is announced on a channel so
 * the replicas waiting for a slot ask again at once instead of at their next poll.
 */
export function redisLeases(client: Redis, subscriber: Subscriber, keyPrefix: string, ttlMs: number, log: Logger): SharedLeases {
  const channel = `${keyPrefix}freed`;
  const listeners = new Map<string, Set<() => void>>();
  subscriber.on(channel, (key) => {
    for (const listener of listeners.get(key) ?? []) listener();
  });
  return {
    async tryAcquire(key, limit) {
      const lease = new Lease(client, `${keyPrefix}lease:${key}`, limit, {
        lockTimeout: ttlMs,
        refreshInterval: Math.max(100, Math.floor(ttlMs / 3)),
        acquireAttemptsLimit: 1,
        onLockLost: (err) => log.warn({ key, err: err.message }, 'a shared lease lapsed while held (Redis was away longer than its lifetime)'),
      });
      if (!(await lease.tryAcquire())) return undefined;
      return {
        async release() {
          await lease.release();
          await client.publish(channel, key);
        },
      };
    },
    onFreed(key, listener) {
      let set = listeners.get(key);
      if (!set) listeners.set(key, (set = new Set()));
      set.add(listener);
      return () => {
        set.delete(listener);
        if (set.size === 0) listeners.delete(key);
      };
    },
  };
}
