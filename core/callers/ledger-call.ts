import { withDeadline } from '../cache/with-deadline.ts';
import type { UsageLedger } from '../contracts/usage-ledger.ts';
import { MemoryUsageLedger } from './memory-usage-ledger.ts';

/**
 * A ledger call bounded by `ms`. The process's own ledger answers at once, so it goes without the timer
 * (a timer per request is measurable on the request path); only a shared one can hang.
 */
export function ledgerCall<T>(ledger: UsageLedger, call: Promise<T>, ms: number): Promise<T> {
  return ledger instanceof MemoryUsageLedger ? call : withDeadline(call, ms, `the usage ledger (${ledger.name})`);
}
