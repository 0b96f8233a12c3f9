import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventLoopDelayMetrics } from './event-loop-delay.ts';

// A blocked event loop shows in the next scrape as its delay (not as the sampling interval), and each
// scrape starts a new window.

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function scrape(): Promise<Record<string, number>> {
  const text = await eventLoopDelayMetrics().metrics();
  const values: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const match = /^mana_llm_event_loop_delay_(p50|p99|max)_seconds (\S+)$/.exec(line);
    if (match) values[match[1]!] = Number(match[2]);
  }
  return values;
}

test('one registry per process', () => {
  assert.equal(eventLoopDelayMetrics(), eventLoopDelayMetrics());
});

test('a 150 ms block is reported as a delay of about 150 ms, and the next window starts clean', async () => {
  await sleep(50);
  await scrape();
  // The monitor's first interval after a reset only sets its starting point: let it take one.
  await sleep(30);
  const blockedUntil = Date.now() + 150;
  while (Date.now() < blockedUntil);
  await sleep(50);
  const blocked = await scrape();
  assert.ok(blocked.max! >= 0.12 && blocked.max! < 1, `max ${blocked.max} s after a 150 ms block`);
  assert.ok(blocked.p99! <= blocked.max! && blocked.p50! <= blocked.p99!, `p50 ${blocked.p50} ≤ p99 ${blocked.p99} ≤ max ${blocked.max}`);
  await sleep(100);
  const after = await scrape();
  assert.ok(after.max! < blocked.max!, `the block is not in the next window (max ${after.max} s)`);
  assert.ok(after.p50! < 0.01, `an idle loop is not late: p50 ${after.p50} s, not the 10 ms sampling interval`);
});
