let lastDay = '';
let lastDayStart = Number.POSITIVE_INFINITY;
let lastDayEnd = Number.NEGATIVE_INFINITY;

/** The UTC day of a time, `YYYY-MM-DD`: the unit of usage rows and daily budgets. Every request asks, so the day in force is kept. */
export function utcDay(ms: number): string {
  if (ms >= lastDayStart && ms < lastDayEnd) return lastDay;
  lastDayStart = Math.floor(ms / 86_400_000) * 86_400_000;
  lastDayEnd = lastDayStart + 86_400_000;
  lastDay = new Date(lastDayStart).toISOString().slice(0, 10);
  return lastDay;
}

/** Seconds from `ms` to the next 00:00 UTC (at least 1): when a spent daily budget is whole again. */
export function secondsToNextUtcDay(ms: number): number {
  const next = Math.floor(ms / 86_400_000 + 1) * 86_400_000;
  return Math.max(1, Math.ceil((next - ms) / 1000));
}

/** Every day from `from` to `to` (inclusive, `YYYY-MM-DD`), or undefined when the range is not one. */
export function daysBetween(from: string, to: string, maxDays: number): string[] | undefined {
  const start = Date.parse(`${from}T00:00:00Z`);
  const end = Date.parse(`${to}T00:00:00Z`);
  if (!Number.isFinite(start) || !Number.isFinite(end) || end < start) return undefined;
  const days: string[] = [];
  for (let t = start; t <= end && days.length <= maxDays; t += 86_400_000) days.push(utcDay(t));
  return days.length > maxDays ? undefined : days;
}
