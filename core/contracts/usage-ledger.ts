/**
 * What one caller spent on one model, added up: requests, the provider's own token counts, and money in
 * whole nano-dollars (1e-9 USD), so sums are exact however many requests go in — a float total would
 * drift from the sum of its parts.
 */
export interface UsageCounts {
  requests: number;
  promptTokens: number;
  completionTokens: number;
  cachedTokens: number;
  costNanoUsd: number;
  cacheHits: number;
  /** What the cache hits would have cost had they gone upstream. */
  savedNanoUsd: number;
}

export interface UsageRow extends UsageCounts {
  /** UTC day, `YYYY-MM-DD`. */
  day: string;
  caller: string;
  /** `provider/model` that answered. */
  model: string;
}

/**
 * The usage ledger: per UTC day, caller and resolved model. The core keeps one in memory (lost at
 * restart); a plugin may keep it in a shared store (Redis: every replica adds to the same rows). Like the
 * response cache, a ledger must never fail a request: the core bounds every call with a short deadline
 * and treats a rejection as "not recorded" (logged), so an implementation may reject when its store is down.
 */
export interface UsageLedger {
  readonly name: string;
  /**
   * Adds one request's counts to its row. With `once`, an id the caller keeps for this record: a store
   * that may have applied an add whose answer it never gave (a timeout) applies the same id only once,
   * so handing the record over again after an outage never counts it twice.
   */
  add(day: string, caller: string, model: string, counts: UsageCounts, once?: string): Promise<void>;
  /** The caller's cost on `day` across every model, nano-dollars (its budget check). */
  spentNanoUsd(day: string, caller: string): Promise<number>;
  /** The rows of these days, of one caller or of all. */
  rows(days: readonly string[], caller?: string): Promise<UsageRow[]>;
  /** `false` while the backing store is unreachable. */
  healthy(): boolean;
}
