/**
 * A clock a test moves by hand, for code that takes `now: () => number` (circuits, caches): time passes
 * when the test says so, never while it sleeps, so a check of "before the TTL" cannot run late on a busy
 * machine and one of "after it" needs no wait.
 */
export interface ManualClock {
  now: () => number;
  advance(ms: number): void;
}

/** Starts at `start` (the wall clock's time by default, so that timestamps made from it look real). */
export function manualClock(start = Date.now()): ManualClock {
  let now = start;
  return {
    now: () => now,
    advance: (ms) => void (now += ms),
  };
}
