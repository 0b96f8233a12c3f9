import type { UsageCounts, UsageLedger, UsageRow } from '../contracts/usage-ledger.ts';
import type { Logger } from '../log/logger.ts';
import { addCounts, MemoryUsageLedger } from './memory-usage-ledger.ts';

/**
 * A shared ledger (Redis) with the process's own beside it for when the store is away, so an outage
 * loses no usage and leaves budgets checked: rows the store cannot take are held here and handed over
 * once it takes rows again; a budget check while it is away adds what this replica booked meanwhile to
 * the last spend the store reported; `rows` adds the held rows to the store's.
 */
export class FallbackUsageLedger implements UsageLedger {
  readonly name: string;
  private readonly held = new MemoryUsageLedger();
  private heldDays = new Set<string>();
  private readonly lastSpent = new Map<string, number>();
  private handingOver = false;

  constructor(
    private readonly shared: UsageLedger,
    private readonly log: Logger,
  ) {
    this.name = shared.name;
  }

  async add(day: string, caller: string, model: string, counts: UsageCounts): Promise<void> {
    if (this.shared.healthy()) {
      try {
        await this.shared.add(day, caller, model, counts);
        if (this.heldDays.size > 0) void this.handOver();
        return;
      } catch {
        // Held below, like any row of an outage.
      }
    }
    this.heldDays.add(day);
    await this.held.add(day, caller, model, counts);
  }

  async spentNanoUsd(day: string, caller: string): Promise<number> {
    const key = `${day}\n${caller}`;
    const heldSpent = await this.held.spentNanoUsd(day, caller);
    if (this.shared.healthy()) {
      try {
        const spent = await this.shared.spentNanoUsd(day, caller);
        this.lastSpent.set(key, spent);
        return spent + heldSpent;
      } catch {
        // The last figure the store gave, below.
      }
    }
    return (this.lastSpent.get(key) ?? 0) + heldSpent;
  }

  async rows(days: readonly string[], caller?: string): Promise<UsageRow[]> {
    const rows = await this.shared.rows(days, caller);
    const heldRows = await this.held.rows(days, caller);
    if (heldRows.length === 0) return rows;
    const byKey = new Map(rows.map((row) => [`${row.day}\n${row.caller}\n${row.model}`, row]));
    for (const row of heldRows) {
      const known = byKey.get(`${row.day}\n${row.caller}\n${row.model}`);
      if (known) addCounts(known, row);
      else rows.push(row);
    }
    return rows;
  }

  healthy(): boolean {
    return this.shared.healthy();
  }

  /** The rows held during an outage go to the store, one by one; one it refuses stays held for the next try. */
  private async handOver(): Promise<void> {
    if (this.handingOver) return;
    this.handingOver = true;
    try {
      const days = [...this.heldDays];
      const rows = await this.held.rows(days);
      this.held.clear();
      this.heldDays = new Set();
      let refused = 0;
      for (const row of rows) {
        const { day, caller, model, ...counts } = row;
        try {
          await this.shared.add(day, caller, model, counts);
        } catch {
          refused += 1;
          this.heldDays.add(day);
          await this.held.add(day, caller, model, counts);
        }
      }
      this.log.info({ rows: rows.length - refused, stillHeld: refused }, 'usage booked during the shared ledger\'s outage handed over to it');
    } finally {
      this.handingOver = false;
    }
  }
}
