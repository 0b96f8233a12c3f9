import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import type { ChatCompletionChunk } from '../contracts/openai.ts';
import type { StreamItem } from '../contracts/provider.ts';
import { markAbortAware } from '../upstream/abort-aware.ts';
import { DONE } from '../upstream/iteration-done.ts';
import type { ItemSink, Pipeable, PipeHandle } from '../upstream/item-sink.ts';
import { Attempt } from './attempt.ts';
import { chunk, provider } from './chain-router.fixture.ts';
import { committedStream } from './committed-stream.ts';
import { RequestScope } from './request-scope.ts';

// The stall clock of a pushed stream, with every push and every moment in the test's hands: the time the
// caller's socket is full is never the upstream's stall, and once the caller catches up the clock counts
// from that moment — neither from the item before the hold nor not at all.

const STALL_MS = 200;

/** A provider stream the test pushes items into, pipeable and abort-aware like the core's own pump. */
class PushedStream implements AsyncIterator<StreamItem>, Pipeable<StreamItem> {
  sink: ItemSink<StreamItem> | undefined;
  resumes = 0;

  constructor(signal: AbortSignal) {
    // As the pump's body read does: an aborted call fails the stream with its reason.
    signal.addEventListener('abort', () => this.sink?.fail(signal.reason), { once: true });
    markAbortAware(this);
  }

  next(): Promise<IteratorResult<StreamItem>> {
    return new Promise(() => undefined);
  }

  return(): Promise<IteratorResult<StreamItem>> {
    return Promise.resolve(DONE);
  }

  canPipe(): boolean {
    return this.sink === undefined;
  }

  pipe(sink: ItemSink<StreamItem>): PipeHandle {
    this.sink = sink;
    return { resume: () => void this.resumes++ };
  }
}

/** A committed stream on a pushed provider stream, piped into a sink whose answers the test sets. */
function pipedStream() {
  const scope = new RequestScope('req', 60_000);
  const attempt = new Attempt({ provider: 'a', model: 'm', resolved: 'a/m' }, provider('a'), { firstTokenMs: 1_000, stallMs: STALL_MS }, scope);
  const upstream = new PushedStream(attempt.signal);
  const stream = committedStream(attempt, { first: chunk('first'), iterator: upstream }, (thrown) => thrown);
  const seen = { items: [] as string[], ended: false, failure: undefined as unknown, full: false };
  const started = stream.next();
  const handle = (async () => {
    await started;
    assert.ok(stream.canPipe());
    return stream.pipe({
      item: (item) => {
        seen.items.push(String((item as ChatCompletionChunk).choices[0]?.delta.content));
        return !seen.full;
      },
      end: () => (seen.ended = true),
      fail: (error) => (seen.failure = error),
    });
  })();
  /** The caller's socket fills on the first pushed item, stays full for 1.5 stall limits, then drains: when it drained. */
  const holdPastTheLimit = async (): Promise<number> => {
    const resume = await handle;
    seen.full = true;
    upstream.sink!.item(chunk('held'));
    await sleep(STALL_MS * 1.5);
    seen.full = false;
    const resumedAt = performance.now();
    resume.resume();
    return resumedAt;
  };
  return { scope, upstream, seen, holdPastTheLimit };
}

test('a hold past the stall limit is not charged to the upstream, and after the resume it has the whole limit again', async () => {
  const { scope, upstream, seen, holdPastTheLimit } = pipedStream();
  await holdPastTheLimit();
  assert.equal(upstream.resumes, 1, 'the upstream was held back and resumed');
  // The next item comes 0.6 of the limit after the resume: 2.1 limits after the one before the hold.
  await sleep(STALL_MS * 0.6);
  assert.equal(seen.failure, undefined, 'not cut while the caller held the stream, nor at the resume');
  upstream.sink!.item(chunk('after'));
  await sleep(STALL_MS * 0.5);
  upstream.sink!.end();
  assert.equal(seen.failure, undefined);
  assert.equal(seen.ended, true);
  assert.deepEqual(seen.items, ['held', 'after']);
  scope.finish();
});

test('after the resume the clock runs: an upstream that sends nothing more is cut one stall limit later', async () => {
  const { scope, seen, holdPastTheLimit } = pipedStream();
  const resumedAt = await holdPastTheLimit();
  await sleep(STALL_MS * 0.8);
  assert.equal(seen.failure, undefined, 'not cut before the limit has passed since the resume');
  const deadline = resumedAt + STALL_MS * 10;
  while (seen.failure === undefined && performance.now() < deadline) await sleep(10);
  const error = seen.failure as { message?: string } | undefined;
  assert.match(String(error?.message), /stalled: no chunk for 200ms/);
  assert.ok(performance.now() - resumedAt >= STALL_MS, 'cut no sooner than the limit after the resume');
  assert.equal(seen.ended, false);
  scope.finish();
});
