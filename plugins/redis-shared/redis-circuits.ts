import type { Redis } from 'ioredis';
import type { CircuitRecord, SharedCircuits } from '../../core/index.ts';
import type { Subscriber } from './subscriber.ts';

/** Records of providers nobody has touched for a day go away by themselves. */
const RECORD_TTL_MS = 86_400_000;
/**
 * Replicas changing one record at once retry; this many conflicts in a row means something is wrong.
 * Each replica sends one update per provider at a time, so a conflict means another replica wrote in
 * between; with a few replicas in a burst of failures that can happen a dozen times in a row.
 */
const MAX_CONFLICTS = 64;
/** After a conflict, wait up to this long (random) before the next try, so two writers stop colliding in step. */
const CONFLICT_JITTER_MS = 4;

const CLOSED: CircuitRecord = { state: 'closed', failures: 0, openUntil: 0, rateLimitedUntil: 0, lastError: null, version: 0 };

// Compare-and-set: the record is written (and announced) only if nobody wrote it since it was read, so
// the core's transition runs in JavaScript — the same function as on the local circuit — and stays atomic.
const COMPARE_AND_SET = `
local stored = tonumber(redis.call('HGET', KEYS[1], 'version') or '0')
if stored ~= tonumber(ARGV[1]) then return redis.call('HMGET', KEYS[1], 'version', 'record') end
redis.call('HSET', KEYS[1], 'version', tonumber(ARGV[1]) + 1, 'record', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
redis.call('PUBLISH', KEYS[2], ARGV[3])
return 1`;

interface CircuitCommands {
  /** 1 when written; otherwise the stored [version, record], so the retry needs no second read. */
  manaCircuitCas(key: string, channel: string, expected: number, record: string, message: string, ttlMs: number): Promise<1 | [string | null, string | null]>;
}

/**
 * Circuits in Redis: one hash per provider holding its record and a version, changed only through the
 * compare-and-set above, and every change published on one channel that each replica listens to (a
 * change is seen elsewhere within a round trip, not a polling interval).
 */
export function redisCircuits(client: Redis, subscriber: Subscriber, keyPrefix: string): SharedCircuits {
  const channel = `${keyPrefix}circuits`;
  const keyOf = (provider: string) => `${keyPrefix}circuit:${provider}`;
  client.defineCommand('manaCircuitCas', { numberOfKeys: 2, lua: COMPARE_AND_SET });
  const commands = client as unknown as CircuitCommands;

  const parse = ([version, record]: (string | null)[]): CircuitRecord | undefined =>
    record ? { ...(JSON.parse(record) as CircuitRecord), version: Number(version) } : undefined;
  const readOne = async (provider: string): Promise<CircuitRecord | undefined> => parse(await client.hmget(keyOf(provider), 'version', 'record'));

  const compareAndSet = async (provider: string, change: (current: CircuitRecord) => CircuitRecord): Promise<CircuitRecord> => {
    let current = (await readOne(provider)) ?? CLOSED;
    for (let conflict = 0; conflict < MAX_CONFLICTS; conflict++) {
      const next = { ...change(current), version: current.version + 1 };
      const answer = await commands.manaCircuitCas(keyOf(provider), channel, current.version, JSON.stringify(next), JSON.stringify({ provider, record: next }), RECORD_TTL_MS);
      if (answer === 1) return next;
      current = parse(answer) ?? CLOSED;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * CONFLICT_JITTER_MS));
    }
    throw new Error(`the shared circuit of ${provider} changed ${MAX_CONFLICTS} times while being updated`);
  };
  // One update per provider at a time from this replica: its own verdicts never conflict with each
  // other, so a burst of failures costs one round of retries per other replica, not one per request.
  const queues = new Map<string, Promise<unknown>>();

  return {
    update(provider, change) {
      const previous = queues.get(provider) ?? Promise.resolve();
      const run = previous.then(() => compareAndSet(provider, change));
      const settled = run.catch(() => undefined);
      queues.set(provider, settled);
      void settled.then(() => queues.get(provider) === settled && queues.delete(provider));
      return run;
    },
    async read(providers) {
      const out = new Map<string, CircuitRecord>();
      for (const provider of providers) {
        const record = await readOne(provider);
        if (record) out.set(provider, record);
      }
      return out;
    },
    onChange(listener) {
      subscriber.on(channel, (message) => {
        let parsed: { provider?: unknown; record?: CircuitRecord };
        try {
          parsed = JSON.parse(message) as typeof parsed;
        } catch {
          return;
        }
        if (typeof parsed.provider === 'string' && parsed.record) listener(parsed.provider, parsed.record);
      });
    },
  };
}
