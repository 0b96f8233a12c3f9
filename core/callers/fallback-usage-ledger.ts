import { randomBytes } from 'node:crypto';
import type { UsageCounts, UsageLedger, UsageRow } from '../contracts/usage-ledger.ts';
import type { Logger } from '../log/logger.ts';
import { addCounts, MemoryUsageLedger } from './memory-usage-ledger.ts';

/** Records held one by one (with the id that makes their hand-over count once); past this many, summed. */
const MAX_HELD_RECORDS = 10_000;

interface HeldRecord {
  day: string;
  caller: string;
  model: string;
  counts: UsageCounts;
  once: string;
}

/**
 * A shared ledger (Redis) with the process's own beside it for when the store is away, so an outage
 * loses no usage and leaves budgets checked: rows the store cannot take are held here and handed over
 * once it takes rows again; a budget check while it is away adds what this replica booked meanwhile to
 * the last spend the store reported; `rows` adds the held rows to the store's.
 *
 * An add that timed out may still have been applied, so each add carries an id, and a held record is
 * handed over with the same id: the store counts it once either way. The first MAX_HELD_RECORDS of an
 * outage are held so; past that (a long outage) records are summed per row, which bounds memory and
 * gives up that guarantee for them alone (a store that was down took none of them anyway).
 */
export class FallbackUsageLedger implements UsageLedger {
  readonly name: string;
  private readonly held = new MemoryUsageLedger();
  private heldRecords: HeldRecord[] = [];
  private heldDays = new Set<string>();
  private readonly lastSpent = new Map<string, number>();
  private handingOver = false;

  constructor(
    private readonly shared: UsageLedger,
    private readonly log: Logger,
  ) {
    this.name = shared.name;
  }

  async add(day: string, caller: string, model: string, counts: UsageCounts, once: string = newId()): Promise<void> {
    if (this.shared.healthy()) {
      try {
        await this.shared.add(day, caller, model, counts, once);
        if (this.heldDays.size > 0) void this.handOver();
        return;
      } catch {
        // Held below, like any row of an outage.
      }
    }
    await this.hold({ day, caller, model, counts, once });
  }

  private async hold(record: HeldRecord): Promise<void> {
    this.heldDays.add(record.day);
    if (this.heldRecords.length < MAX_HELD_RECORDS) this.heldRecords.push(record);
    await this.held.add(record.day, record.caller, record.model, record.counts);
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

  /**
   * What was held during an outage goes to the store: the records held one by one with their ids, then
   * the summed rest; whatever the store refuses stays held for the next try.
   */
  private async handOver(): Promise<void> {
    if (this.handingOver) return;
    this.handingOver = true;
    try {
      const records = this.heldRecords;
      const days = [...this.heldDays];
      const summed = await this.held.rows(days);
      this.held.clear();
      this.heldRecords = [];
      this.heldDays = new Set();
      // The summed rows include the records held one by one: take those out, to hand them over with their ids.
      const rest = new Map(summed.map((row) => [`${row.day}\n${row.caller}\n${row.model}`, row]));
      for (const record of records) subtract(rest.get(`${record.day}\n${record.caller}\n${record.model}`)!, record.counts);
      const handed = [...records, ...[...rest.values()].filter((row) => row.requests > 0).map(({ day, caller, model, ...counts }) => ({ day, caller, model, counts, once: newId() }))];
      let refused = 0;
      for (const record of handed) {
        try {
          await this.shared.add(record.day, record.caller, record.model, record.counts, record.once);
        } catch {
          refused += 1;
          await this.hold(record);
        }
      }
      this.log.info({ rows: handed.length - refused, stillHeld: refused }, 'usage booked during the shared ledger\'s outage handed over to it');
    } finally {
      this.handingOver = false;
    }
  }
}

/** 128 random bits, short (22 characters): one is kept in the store per add for a while. */
function newId(): string {
  return randomBytes(16).toString('base64url');
}

function subtract(from: UsageCounts, counts: UsageCounts): void {
  for (const field of Object.keys(counts) as Array<keyof UsageCounts>) from[field] -= counts[field];
}
