import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MINUTES, MinuteSeries, TTFT_BUCKETS, quantile, ttftBucketOf } from './minute-series.ts';

const MINUTE = 60_000;
const T0 = Date.UTC(2026, 11, 3, 6, 0, 0);

test('each request counts in its minute: failures are 5xx, refusals 4xx, a caller that left neither', () => {
  const series = new MinuteSeries();
  series.record(T0 + 1000, 200, false, undefined);
  series.record(T0 + 2000, 503, false, undefined);
  series.record(T0 + 3000, 429, false, undefined);
  series.record(T0 + 4000, 499, true, undefined);
  series.record(T0 + MINUTE + 5, 200, false, 120);
  const read = series.read(T0 + MINUTE + 10);
  assert.equal(read.minutes.length, MINUTES);
  assert.equal(read.minutes.at(-1), (T0 + MINUTE) / 1000, 'the last entry is the current minute');
  assert.deepEqual([read.requests.at(-2), read.failed.at(-2), read.refused.at(-2)], [4, 1, 1]);
  assert.deepEqual([read.requests.at(-1), read.failed.at(-1), read.refused.at(-1)], [1, 0, 0]);
  assert.equal(read.ttftP50.at(-2), null, 'no stream, no first-token time');
  assert.ok(read.requests.slice(0, -2).every((n) => n === 0), 'quiet minutes are zeros');
});

test('a slot an hour old is reused, not added to', () => {
  const series = new MinuteSeries();
  series.record(T0, 200, false, undefined);
  series.record(T0 + MINUTES * MINUTE, 200, false, undefined);
  const read = series.read(T0 + MINUTES * MINUTE);
  assert.equal(read.requests.at(-1), 1);
  assert.equal(read.requests.reduce((a, b) => a + b, 0), 1, 'the hour-old minute has left the window');
});

test('the window moves with time: a minute 59 minutes back is still there, 60 back is gone', () => {
  const series = new MinuteSeries();
  series.record(T0, 200, false, undefined);
  assert.equal(series.read(T0 + 59 * MINUTE).requests[0], 1);
  assert.equal(series.read(T0 + 60 * MINUTE).requests.reduce((a, b) => a + b, 0), 0);
});

const bucketCases: Array<[ms: number, bucket: number]> = [[0, 0], [10, 0], [10.5, 1], [25, 1], [999, 10], [1000, 10], [60_000, TTFT_BUCKETS - 2], [90_000, TTFT_BUCKETS - 1]];
for (const [ms, bucket] of bucketCases) {
  test(`a first token after ${ms} ms falls in bucket ${bucket}`, () => assert.equal(ttftBucketOf(ms), bucket));
}

const histogram = (entries: Array<[bucket: number, count: number]>) => {
  const counts = new Array<number>(TTFT_BUCKETS).fill(0);
  for (const [bucket, count] of entries) counts[bucket] = count;
  return counts;
};
const quantileCases: Array<[name: string, counts: number[], q: number, want: number | null]> = [
  ['empty', histogram([]), 0.5, null],
  ['all in (0, 10]: the median interpolates to 5', histogram([[0, 10]]), 0.5, 5],
  ['all in (100, 150]: p95 near the top', histogram([[5, 20]]), 0.95, 148],
  ['split between two buckets', histogram([[2, 5], [9, 5]]), 0.95, 725],
  ['past the last bound reads as the last bound', histogram([[TTFT_BUCKETS - 1, 3]]), 0.5, 60_000],
];
for (const [name, counts, q, want] of quantileCases) {
  test(`quantile: ${name}`, () => assert.equal(quantile(counts, q), want));
}

test('first-token times recorded in a minute come back as its median and p95', () => {
  const series = new MinuteSeries();
  for (let i = 0; i < 19; i++) series.record(T0, 200, false, 80);
  series.record(T0, 200, false, 4000);
  const read = series.read(T0);
  assert.ok(read.ttftP50.at(-1)! > 75 && read.ttftP50.at(-1)! <= 100, `p50 ${read.ttftP50.at(-1)}`);
  assert.ok(read.ttftP95.at(-1)! > 75 && read.ttftP95.at(-1)! <= 100, `p95 ${read.ttftP95.at(-1)}: one slow stream in twenty is the 95th percentile's edge`);
});
