import type { UsageCounts, UsageLedger, UsageRow } from '../contracts/usage-ledger.ts';

/** Days the ledger keeps, as the Redis one does (its keys expire after 90 days). */
export const USAGE_RETENTION_DAYS = 90;

/**
 * The usage ledger of one process, used when no shared one is configured (and beside a shared one that
 * is down). Bounded: rows are per day × caller × answering model, and days past the retention are dropped.
 */
export class MemoryUsageLedger implements UsageLedger {
  readonly name = 'memory';
  private readonly days = new Map<string, Map<string, UsageRow>>();
  private readonly spent = new Map<string, number>();

  add(day: string, caller: string, model: string, counts: UsageCounts): Promise<void> {
    let rows = this.days.get(day);
    if (!rows) {
      this.days.set(day, (rows = new Map()));
      this.forgetBefore(day);
    }
    const key = `${caller}\n${model}`;
    let row = rows.get(key);
    if (!row) rows.set(key, (row = { day, caller, model, requests: 0, promptTokens: 0, completionTokens: 0, cachedTokens: 0, costNanoUsd: 0, cacheHits: 0, savedNanoUsd: 0 }));
    addCounts(row, counts);
    const spentKey = `${day}\n${caller}`;
    this.spent.set(spentKey, (this.spent.get(spentKey) ?? 0) + counts.costNanoUsd);
    return Promise.resolve();
  }

  spentNanoUsd(day: string, caller: string): Promise<number> {
    return Promise.resolve(this.spent.get(`${day}\n${caller}`) ?? 0);
  }

  rows(days: readonly string[], caller?: string): Promise<UsageRow[]> {
    const out: UsageRow[] = [];
    for (const day of days) {
      for (const row of this.days.get(day)?.values() ?? []) if (caller === undefined || row.caller === caller) out.push({ ...row });
    }
    return Promise.resolve(out);
  }

  healthy(): boolean {
    return true;
  }

  /** Forgets every row (what a fallback ledger held has been handed over). */
  clear(): void {
    this.days.clear();
    this.spent.clear();
  }

  private forgetBefore(newest: string): void {
    const cutoff = new Date(Date.parse(`${newest}T00:00:00Z`) - USAGE_RETENTION_DAYS * 86_400_000).toISOString().slice(0, 10);
    for (const day of this.days.keys()) {
      if (day >= cutoff) continue;
      this.days.delete(day);
      for (const key of this.spent.keys()) if (key.startsWith(`${day}\n`)) this.spent.delete(key);
    }
  }
}

export function addCounts(into: UsageCounts, counts: UsageCounts): void {
  into.requests += counts.requests;
  into.promptTokens += counts.promptTokens;
  into.completionTokens += counts.completionTokens;
  into.cachedTokens += counts.cachedTokens;
  into.costNanoUsd += counts.costNanoUsd;
  into.cacheHits += counts.cacheHits;
  into.savedNanoUsd += counts.savedNanoUsd;
}
