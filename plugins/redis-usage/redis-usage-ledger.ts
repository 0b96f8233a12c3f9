import type { Redis } from 'ioredis';
import type { UsageCounts, UsageLedger, UsageRow } from '../../core/index.ts';
import type { ConnectionHealth } from '../redis-cache/connection-health.ts';

/** Rows live as long as the CONTRACT keeps usage: 90 days (a day's keys expire 90 days after it was last written). */
export const RETENTION_SECONDS = 90 * 86_400;

const FIELDS = ['requests', 'promptTokens', 'completionTokens', 'cachedTokens', 'costNanoUsd', 'cacheHits', 'savedNanoUsd'] as const;

/**
 * How long an add's id is remembered. An add whose answer was lost while Redis stayed reachable (a
 * timeout) is handed over again at the next add that succeeds, so within seconds; an add refused while
 * Redis is away was never applied and needs no id. An hour covers both with room, and keeps what the ids
 * cost Redis to about 100 bytes per request of the last hour.
 */
const ONCE_TTL_SECONDS = 3600;

// One add, atomically: with an id (ARGV[1] not empty) only the first add of that id counts. KEYS: row,
// day index, caller's daily spend, the id's marker. ARGV: id, row member, retention, cost, then field/value pairs.
const ADD = `
if ARGV[1] ~= '' and not redis.call('SET', KEYS[4], '1', 'NX', 'EX', ${ONCE_TTL_SECONDS}) then return 0 end
for i = 5, #ARGV, 2 do redis.call('HINCRBY', KEYS[1], ARGV[i], ARGV[i + 1]) end
redis.call('EXPIRE', KEYS[1], ARGV[3])
redis.call('SADD', KEYS[2], ARGV[2])
redis.call('EXPIRE', KEYS[2], ARGV[3])
if ARGV[4] ~= '0' then
  redis.call('INCRBY', KEYS[3], ARGV[4])
  redis.call('EXPIRE', KEYS[3], ARGV[3])
end
return 1`;

interface LedgerCommands {
  manaUsageAdd(row: string, index: string, spent: string, onceKey: string, ...args: Array<string | number>): Promise<number>;
}

/**
 * The usage ledger on Redis, shared by every replica: one hash per day × caller × model whose fields
 * are added to with HINCRBY (whole numbers only — money in nano-dollars — so replicas adding at once
 * never lose or round), a set per day naming its rows, and a counter per day × caller for the budget
 * check. One script call per request, which applies an add with an id once only. A command that fails
 * or times out rejects; the core holds the row and hands it over later, with the same id.
 */
export function redisUsageLedger(name: string, client: Redis, health: ConnectionHealth, keyPrefix: string): UsageLedger {
  const rowKey = (day: string, member: string) => `${keyPrefix}${day}:row:${member}`;
  const indexKey = (day: string) => `${keyPrefix}${day}:rows`;
  const spentKey = (day: string, caller: string) => `${keyPrefix}${day}:spent:${caller}`;
  client.defineCommand('manaUsageAdd', { numberOfKeys: 4, lua: ADD });
  const commands = client as unknown as LedgerCommands;
  return {
    name,
    async add(day, caller, model, counts, once) {
      const member = `${caller}\n${model}`;
      const fields: Array<string | number> = [];
      for (const field of FIELDS) if (counts[field] !== 0) fields.push(field, Math.round(counts[field]));
      const cost = Math.round(counts.costNanoUsd);
      await commands.manaUsageAdd(rowKey(day, member), indexKey(day), spentKey(day, caller), `${keyPrefix}once:${once ?? ''}`, once ?? '', member, RETENTION_SECONDS, cost, ...fields);
    },
    async spentNanoUsd(day, caller) {
      return Number((await client.get(spentKey(day, caller))) ?? 0);
    },
    async rows(days, caller) {
      const out: UsageRow[] = [];
      for (const day of days) {
        const members = (await client.smembers(indexKey(day))).filter((m) => caller === undefined || m.slice(0, m.indexOf('\n')) === caller);
        if (members.length === 0) continue;
        const pipeline = client.pipeline();
        for (const member of members) pipeline.hgetall(rowKey(day, member));
        const replies = (await pipeline.exec()) ?? [];
        members.forEach((member, index) => {
          const [err, hash] = replies[index] ?? [];
          if (err) throw err;
          const cut = member.indexOf('\n');
          out.push({ day, caller: member.slice(0, cut), model: member.slice(cut + 1), ...countsOf(hash as Record<string, string>) });
        });
      }
      return out;
    },
    healthy: () => health.healthy(),
  };
}

function countsOf(hash: Record<string, string> | undefined): UsageCounts {
  const counts = {} as UsageCounts;
  for (const field of FIELDS) counts[field] = Number(hash?.[field] ?? 0);
  return counts;
}
