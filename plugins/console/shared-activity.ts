import type { Redis } from 'ioredis';
import { MINUTES, countInto, emptyCounts, minuteOf, type MinuteCounts } from './minute-series.ts';
import type { RequestSummary } from './recent-requests.ts';

/** Minute hashes outlive the hour the charts show by a little, then go by themselves. */
const MINUTE_TTL_MS = (MINUTES + 2) * 60_000;

export interface ActivityView {
  recent: RequestSummary[];
  countsOf(minute: number): MinuteCounts | undefined;
}

/**
 * Every replica's recent requests and per-minute counts in Redis, so the console shows the same gateway
 * whichever replica the load balancer sends the page to. A request costs an append to a buffer here;
 * once a second the buffer goes to Redis in one pipeline (the summaries onto one capped list, the
 * counts added into one hash per minute). Redis away: the buffer keeps at most one list's worth of
 * summaries and the counts of the minutes it saw, and the console shows this replica's own view.
 */
export class SharedActivity {
  private summaries: string[] = [];
  private minutes = new Map<number, MinuteCounts>();
  private readonly timer: NodeJS.Timeout;
  private flushing: Promise<void> | undefined;

  constructor(
    private readonly client: Redis,
    private readonly healthy: () => boolean,
    private readonly keyPrefix: string,
    private readonly capacity: number,
    flushEveryMs = 1000,
  ) {
    this.timer = setInterval(() => void this.flush(), flushEveryMs);
    this.timer.unref();
  }

  record(summary: RequestSummary, status: number, clientAborted: boolean, ttftMs: number | undefined): void {
    this.summaries.push(JSON.stringify(summary));
    if (this.summaries.length > this.capacity) this.summaries.shift();
    const minute = minuteOf(summary.at);
    let counts = this.minutes.get(minute);
    if (!counts) this.minutes.set(minute, (counts = emptyCounts()));
    countInto(counts, status, clientAborted, ttftMs);
  }

  /** Sends what is buffered; one flush at a time, and nothing while Redis is away (it stays buffered). */
  flush(): Promise<void> {
    if (this.flushing) return this.flushing;
    if (!this.healthy() || (this.summaries.length === 0 && this.minutes.size === 0)) return Promise.resolve();
    const summaries = this.summaries;
    const minutes = this.minutes;
    this.summaries = [];
    this.minutes = new Map();
    const pipeline = this.client.pipeline();
    if (summaries.length > 0) {
      pipeline.lpush(this.recentKey, ...summaries);
      pipeline.ltrim(this.recentKey, 0, this.capacity - 1);
    }
    for (const [minute, counts] of minutes) {
      const key = this.minuteKey(minute);
      for (const [field, by] of fieldsOf(counts)) pipeline.hincrby(key, field, by);
      pipeline.pexpire(key, MINUTE_TTL_MS);
    }
    this.flushing = pipeline
      .exec()
      .then((results) => {
        if (results?.some(([err]) => err)) throw new Error('a command of the flush failed');
      })
      .catch(() => {
        // Not sent: put it back (bounded), so the counts reach Redis when it answers again.
        this.summaries = [...summaries, ...this.summaries].slice(-this.capacity);
        for (const [minute, counts] of minutes) this.minutes.set(minute, added(this.minutes.get(minute), counts));
        this.dropStaleMinutes();
      })
      .finally(() => {
        this.flushing = undefined;
      });
    return this.flushing;
  }

  /** Every replica's view of the last hour; rejects when Redis does not answer (the caller shows its own). */
  async read(now: number): Promise<ActivityView> {
    if (!this.healthy()) throw new Error('redis is away');
    const current = minuteOf(now);
    const pipeline = this.client.pipeline().lrange(this.recentKey, 0, this.capacity - 1);
    for (let minute = current - MINUTES + 1; minute <= current; minute++) pipeline.hgetall(this.minuteKey(minute));
    const results = await pipeline.exec();
    if (!results || results.some(([err]) => err)) throw new Error('the shared console activity could not be read');
    const recent = (results[0]![1] as string[]).map((line) => JSON.parse(line) as RequestSummary).sort((a, b) => b.at - a.at);
    const byMinute = new Map<number, MinuteCounts>();
    results.slice(1).forEach(([, hash], i) => {
      const counts = countsOf(hash as Record<string, string>);
      if (counts) byMinute.set(current - MINUTES + 1 + i, counts);
    });
    return { recent, countsOf: (minute) => byMinute.get(minute) };
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private get recentKey(): string {
    return `${this.keyPrefix}recent`;
  }

  private minuteKey(minute: number): string {
    return `${this.keyPrefix}minute:${minute}`;
  }

  private dropStaleMinutes(): void {
    const oldest = minuteOf(Date.now()) - MINUTES;
    for (const minute of this.minutes.keys()) if (minute <= oldest) this.minutes.delete(minute);
  }
}

/** A minute's counts as hash fields: r(equests), f(ailed), x (refused), t<i> (first-token bucket i). */
function fieldsOf(counts: MinuteCounts): Array<[string, number]> {
  const fields: Array<[string, number]> = [['r', counts.requests]];
  if (counts.failed) fields.push(['f', counts.failed]);
  if (counts.refused) fields.push(['x', counts.refused]);
  counts.ttft.forEach((n, i) => n && fields.push([`t${i}`, n]));
  return fields;
}

function countsOf(hash: Record<string, string>): MinuteCounts | undefined {
  if (!hash || hash.r === undefined) return undefined;
  const counts = emptyCounts();
  counts.requests = Number(hash.r);
  counts.failed = Number(hash.f ?? 0);
  counts.refused = Number(hash.x ?? 0);
  for (let i = 0; i < counts.ttft.length; i++) counts.ttft[i] = Number(hash[`t${i}`] ?? 0);
  return counts;
}

function added(into: MinuteCounts | undefined, more: MinuteCounts): MinuteCounts {
  if (!into) return more;
  into.requests += more.requests;
  into.failed += more.failed;
  into.refused += more.refused;
  more.ttft.forEach((n, i) => (into.ttft[i]! += n));
  return into;
}
