import type { Redis } from 'ioredis';
import type { UsageCounts, UsageLedger, UsageRow } from '../../core/index.ts';
import type { ConnectionHealth } from '../redis-cache/connection-health.ts';

/** Rows live as long as the CONTRACT keeps usage: 90 days (a day's keys expire 90 days after it was last written). */
export const RETENTION_SECONDS = 90 * 86_400;

const FIELDS = ['requests', 'promptTokens', 'completionTokens', 'cachedTokens', 'costNanoUsd', 'cacheHits', 'savedNanoUsd'] as const;

/**
 * The usage ledger on Redis, shared by every replica: one hash per day × caller × model whose fields
 * are added to with HINCRBY (whole numbers only — money in nano-dollars — so replicas adding at once
 * never lose or round), a set per day naming its rows, and a counter per day × caller for the budget
 * check. One MULTI per request. A command that fails or times out rejects; the core logs the row as lost.
 */
export function redisUsageLedger(name: string, client: Redis, health: ConnectionHealth, keyPrefix: string): UsageLedger {
  const rowKey = (day: string, member: string) => `${keyPrefix}${day}:row:${member}`;
  const indexKey = (day: string) => `${keyPrefix}${day}:rows`;
  const spentKey = (day: string, caller: string) => `${keyPrefix}${day}:spent:${caller}`;
  return {
    name,
    async add(day, caller, model, counts) {
      const member = `${caller}\n${model}`;
      const key = rowKey(day, member);
      const multi = client.multi();
      for (const field of FIELDS) if (counts[field] !== 0) multi.hincrby(key, field, Math.round(counts[field]));
      multi.expire(key, RETENTION_SECONDS);
      multi.sadd(indexKey(day), member).expire(indexKey(day), RETENTION_SECONDS);
      if (counts.costNanoUsd !== 0) multi.incrby(spentKey(day, caller), Math.round(counts.costNanoUsd)).expire(spentKey(day, caller), RETENTION_SECONDS);
      const replies = await multi.exec();
      const failed = replies?.find(([err]) => err);
      if (failed) throw failed[0];
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
