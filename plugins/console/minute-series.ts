/**
 * Per-minute counters over the last hour, for the console's charts: requests, failures, refusals and
 * first-token times (as a histogram per minute, so quantiles need no list of every sample). Sixty slots
 * reused as the minutes pass: memory is fixed.
 */

/** Upper bounds (ms) of the first-token histogram: tens of ms for a warm model to a minute for a cold load. */
const TTFT_BOUNDS_MS = [10, 25, 50, 75, 100, 150, 200, 300, 500, 750, 1000, 1500, 2000, 3000, 5000, 7500, 10_000, 20_000, 30_000, 60_000];
export const MINUTES = 60;
const MINUTE_MS = 60_000;

/** What one minute counted: the unit replicas add up (in Redis) and the charts read. */
export interface MinuteCounts {
  requests: number;
  /** Answered with a 5xx: the gateway or every upstream failed (not a caller that went away). */
  failed: number;
  /** Refused with a 4xx: the request or the caller's limits. */
  refused: number;
  /** First-token times of streams, as counts per bucket of TTFT_BOUNDS_MS (and one past the last bound). */
  ttft: number[];
}

interface Slot extends MinuteCounts {
  minute: number;
}

export interface Series {
  /** Start of each minute, epoch seconds, oldest first (the last one is the current, partial minute). */
  minutes: number[];
  requests: number[];
  failed: number[];
  refused: number[];
  /** Per minute, the median and 95th percentile of streams' first-token times (ms), null without streams. */
  ttftP50: Array<number | null>;
  ttftP95: Array<number | null>;
}

export class MinuteSeries {
  private readonly slots: Slot[] = Array.from({ length: MINUTES }, () => emptySlot(-1));

  record(at: number, status: number, clientAborted: boolean, ttftMs: number | undefined): void {
    countInto(this.slotFor(minuteOf(at)), status, clientAborted, ttftMs);
  }

  /** The last hour up to `now`, one entry per minute, minutes without traffic as zeros. */
  read(now: number): Series {
    return seriesOf((minute) => {
      const slot = this.slots[minute % MINUTES]!;
      return slot.minute === minute ? slot : undefined;
    }, now);
  }

  private slotFor(minute: number): Slot {
    const index = minute % MINUTES;
    let slot = this.slots[index]!;
    if (slot.minute !== minute) this.slots[index] = slot = emptySlot(minute);
    return slot;
  }
}

function emptySlot(minute: number): Slot {
  return { minute, ...emptyCounts() };
}

export function emptyCounts(): MinuteCounts {
  return { requests: 0, failed: 0, refused: 0, ttft: new Array<number>(TTFT_BOUNDS_MS.length + 1).fill(0) };
}

/** The minute (since the epoch) a time falls in. */
export function minuteOf(at: number): number {
  return Math.floor(at / MINUTE_MS);
}

/** Adds one finished request to a minute's counts. */
export function countInto(counts: MinuteCounts, status: number, clientAborted: boolean, ttftMs: number | undefined): void {
  counts.requests += 1;
  if (status >= 500 && !clientAborted) counts.failed += 1;
  else if (status >= 400 && !clientAborted) counts.refused += 1;
  if (ttftMs !== undefined) counts.ttft[bucketOf(ttftMs)]! += 1;
}

/** The hour up to `now` as chart series, from whatever holds each minute's counts (this process, or Redis). */
export function seriesOf(countsOf: (minute: number) => MinuteCounts | undefined, now: number): Series {
  const current = minuteOf(now);
  const out: Series = { minutes: [], requests: [], failed: [], refused: [], ttftP50: [], ttftP95: [] };
  for (let minute = current - MINUTES + 1; minute <= current; minute++) {
    const counts = countsOf(minute);
    out.minutes.push((minute * MINUTE_MS) / 1000);
    out.requests.push(counts?.requests ?? 0);
    out.failed.push(counts?.failed ?? 0);
    out.refused.push(counts?.refused ?? 0);
    out.ttftP50.push(counts ? quantile(counts.ttft, 0.5) : null);
    out.ttftP95.push(counts ? quantile(counts.ttft, 0.95) : null);
  }
  return out;
}

function bucketOf(ms: number): number {
  let i = 0;
  while (i < TTFT_BOUNDS_MS.length && ms > TTFT_BOUNDS_MS[i]!) i++;
  return i;
}

/**
 * The q-quantile of a histogram, interpolated within its bucket (as Prometheus' histogram_quantile does);
 * samples past the last bound read as that bound. Null for an empty histogram.
 */
export function quantile(counts: readonly number[], q: number): number | null {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const rank = q * total;
  let seen = 0;
  for (let i = 0; i < counts.length; i++) {
    const count = counts[i]!;
    if (count > 0 && seen + count >= rank) {
      if (i === TTFT_BOUNDS_MS.length) return TTFT_BOUNDS_MS[i - 1]!;
      const lower = i === 0 ? 0 : TTFT_BOUNDS_MS[i - 1]!;
      const upper = TTFT_BOUNDS_MS[i]!;
      return Math.round(lower + ((upper - lower) * (rank - seen)) / count);
    }
    seen += count;
  }
  return TTFT_BOUNDS_MS[TTFT_BOUNDS_MS.length - 1]!;
}

/** Exposed for the tests: which bucket a time falls in. */
export const ttftBucketOf = bucketOf;
export const TTFT_BUCKETS = TTFT_BOUNDS_MS.length + 1;
