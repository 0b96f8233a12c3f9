import type { Redis } from 'ioredis';
import { Semaphore } from 'redis-semaphore';
import type { Logger, SharedLeases } from '../../core/index.ts';
import type { Subscriber } from './subscriber.ts';

// Gives a slot back, and says so on the channel only when every slot was held: only then can a replica
// be waiting for one. (Announcing every release cost each replica a message per request per replica.)
const RELEASE = `
local before = redis.call('ZCARD', KEYS[1])
if redis.call('ZREM', KEYS[1], ARGV[1]) == 1 and before >= tonumber(ARGV[2]) then
  redis.call('PUBLISH', KEYS[2], ARGV[3])
end
return 1`;

interface LeaseCommands {
  manaLeaseRelease(key: string, channel: string, identifier: string, limit: number, name: string): Promise<number>;
}

/**
 * A redis-semaphore lease with two changes. Its refresh runs on a timer, and a refresh that fails (Redis
 * away) would reject inside that timer, where nobody can catch it: a failed refresh here counts as
 * "still held" (the lease is ours until it lapses in Redis; the next refresh tries again). Its release
 * announces the freed slot when a replica may be waiting.
 */
class Lease extends Semaphore {
  constructor(
    client: Redis,
    key: string,
    limit: number,
    private readonly announce: { channel: string; name: string },
    options: ConstructorParameters<typeof Semaphore>[3],
  ) {
    super(client, key, limit, options);
  }

  protected override async _refresh(): Promise<boolean> {
    try {
      return await super._refresh();
    } catch {
      return true;
    }
  }

  protected override async _release(): Promise<void> {
    await (this._client as unknown as LeaseCommands).manaLeaseRelease(this._key, this.announce.channel, this.identifier, this._limit, this.announce.name);
  }
}

/**
 * Leases on Redis sorted sets (redis-semaphore: one Lua script acquires a slot under the limit after
 * dropping lapsed ones). A lease is refreshed every third of `ttlMs` while held, so a replica that dies
 * keeps its slots at most `ttlMs` after its last refresh. Giving one back when all were held is announced
 * on a channel, so the replicas waiting for a slot ask again at once instead of at their next poll.
 */
export function redisLeases(client: Redis, subscriber: Subscriber, keyPrefix: string, ttlMs: number, log: Logger): SharedLeases {
  const channel = `${keyPrefix}freed`;
  const listeners = new Map<string, Set<() => void>>();
  client.defineCommand('manaLeaseRelease', { numberOfKeys: 2, lua: RELEASE });
  subscriber.on(channel, (key) => {
    for (const listener of listeners.get(key) ?? []) listener();
  });
  return {
    async tryAcquire(key, limit) {
      const lease = new Lease(client, `${keyPrefix}lease:${key}`, limit, { channel, name: key }, {
        lockTimeout: ttlMs,
        refreshInterval: Math.max(100, Math.floor(ttlMs / 3)),
        acquireAttemptsLimit: 1,
        onLockLost: (err) => log.warn({ key, err: err.message }, 'a shared lease lapsed while held (Redis was away longer than its lifetime)'),
      });
      if (!(await lease.tryAcquire())) return undefined;
      return {
        release: () => lease.release(),
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
