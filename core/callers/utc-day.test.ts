import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { daysBetween, secondsToNextUtcDay, utcDay } from './utc-day.ts';

describe('utcDay and secondsToNextUtcDay', () => {
  const cases: Array<[string, string, number]> = [
    ['2026-12-02T00:00:00.000Z', '2026-12-02', 86_400],
    ['2026-12-02T23:59:59.000Z', '2026-12-02', 1],
    ['2026-12-02T23:59:59.900Z', '2026-12-02', 1],
    ['2026-12-31T12:00:00.000Z', '2026-12-31', 43_200],
  ];
  for (const [at, day, seconds] of cases) {
    test(at, () => {
      assert.equal(utcDay(Date.parse(at)), day);
      assert.equal(secondsToNextUtcDay(Date.parse(at)), seconds);
    });
  }
});

describe('daysBetween', () => {
  const cases: Array<[string, string, number, string[] | undefined]> = [
    ['2026-12-02', '2026-12-02', 90, ['2026-12-02']],
    ['2026-11-29', '2026-12-02', 90, ['2026-11-29', '2026-11-30', '2026-12-01', '2026-12-02']],
    ['2026-12-31', '2027-01-01', 90, ['2026-12-31', '2027-01-01']],
    ['2026-12-03', '2026-12-02', 90, undefined],
    ['2026-01-01', '2026-12-31', 90, undefined],
    ['nope', '2026-12-02', 90, undefined],
  ];
  for (const [from, to, max, days] of cases) test(`${from}..${to}`, () => assert.deepEqual(daysBetween(from, to, max), days));
});
