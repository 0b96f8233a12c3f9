import type { ProviderCall, Provider, StreamItem } from '../contracts/provider.ts';
import { isSerializedChunk } from '../contracts/provider.ts';
import { UpstreamProtocolError } from '../errors/upstream-protocol-error.ts';
import { UpstreamTimeoutError } from '../errors/upstream-timeout-error.ts';
import { isAbortAware } from '../upstream/abort-aware.ts';
import { DONE } from '../upstream/iteration-done.ts';
import { isPipeable, type ItemSink, type Pipeable, type PipeHandle } from '../upstream/item-sink.ts';
import type { Attempt } from './attempt.ts';
import { StreamSummary } from './attempt-summary.ts';

/** A stream whose first chunk has arrived: the point after which there is no falling back. */
export interface OpenedStream {
  first: StreamItem;
  iterator: AsyncIterator<StreamItem>;
}

/**
 * Starts a provider's stream and waits for its first chunk, at most the first-token limit (or what is
 * left of the attempt and of the request). Everything that fails here fails before the caller saw a
 * byte, so the router may still fall through to the next entry.
 */
export async function openFirstChunk(attempt: Attempt, open: (provider: Provider, call: ProviderCall) => AsyncIterable<StreamItem>): Promise<OpenedStream> {
  const iterator = open(attempt.provider, attempt.call)[Symbol.asyncIterator]();
  const limit = Math.min(attempt.timeouts.firstTokenMs, attempt.remainingMs());
  try {
    const first = await attempt.within(
      iterator.next(),
      limit,
      () => new UpstreamTimeoutError(`${attempt.entry.resolved} sent no first token within ${limit}ms`, 'first_token'),
    );
    if (first.done) throw new UpstreamProtocolError(`${attempt.entry.resolved} ended its stream without sending anything`);
    return { first: first.value, iterator };
  } catch (err) {
    // Let the generator run its cleanup (it sees the aborted signal); never wait for it.
    iterator.return?.().catch(() => undefined);
    throw err;
  }
}

/**
 * The committed stream: the first chunk, then the rest as they arrive. Between two chunks at most the
 * stall limit may pass, and the whole stream must end within what is left of the attempt and of the
 * request; either limit aborts the upstream call. Any failure goes through `failed` (the router's verdict,
 * which returns what to throw), and however the stream ends — finished, failed, or the consumer stopping —
 * the timers, the upstream iterator and the attempt (its concurrency slot) are released here, once.
 *
 * Per chunk this costs one promise reaction and a clock reading — no new timers, listeners or closures —
 * because it runs for every token of every answer: an iterator written out, not an async generator, whose
 * every `yield` would await its value and resume a frame besides. Nothing starts before the first read
 * (as a generator's body would not). The usage a provider reports is noted in the request's outcome.
 */
export function committedStream(
  attempt: Attempt,
  opened: OpenedStream,
  failed: (thrown: unknown) => unknown,
  /** Told the finish reasons when the stream is over, however it ended (only when someone reports attempts). */
  ended?: (finishReasons: string[]) => void,
): AsyncIterableIterator<StreamItem> & Pipeable<StreamItem> {
  return new CommittedReads(attempt, opened, failed, ended);
}

class CommittedReads implements AsyncIterableIterator<StreamItem>, Pipeable<StreamItem> {
  private readonly summary: StreamSummary | undefined;
  private readonly signal: AbortSignal;
  /** The provider's stream, read directly when it is the core's own pump (see `isAbortAware`), else through a wrapper an abort settles. */
  private readonly reads: AsyncIterator<StreamItem>;
  private readonly wrapped: AbortableReads | undefined;
  private stall: NodeJS.Timeout | undefined;
  /** When the upstream began to owe the next item (a read started, or the last item arrived). */
  private owedSince = 0;
  private overall: NodeJS.Timeout | undefined;
  private state: 'new' | 'open' | 'over' = 'new';
  /** Whether a read is waiting for the provider (the stall clock runs only then). */
  private waiting = false;

  constructor(
    private readonly attempt: Attempt,
    private readonly opened: OpenedStream,
    private readonly failed: (thrown: unknown) => unknown,
    private readonly ended: ((finishReasons: string[]) => void) | undefined,
  ) {
    this.summary = ended ? new StreamSummary() : undefined;
    this.signal = attempt.signal;
    this.wrapped = isAbortAware(opened.iterator) ? undefined : new AbortableReads(opened.iterator, this.signal);
    this.reads = this.wrapped ?? opened.iterator;
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<StreamItem> {
    return this;
  }

  next(): Promise<IteratorResult<StreamItem>> {
    if (this.state === 'over') return Promise.resolve(DONE);
    if (this.state === 'new') {
      this.start();
      return Promise.resolve({ done: false, value: this.note(this.opened.first) });
    }
    if (this.signal.aborted) return this.fail(this.signal.reason);
    this.owedSince = performance.now();
    this.waiting = true;
    return this.reads.next().then(this.arrived, this.broke);
  }

  /** Whether the rest can be pushed (`pipe`): the first item was read, no read waits, and the provider's stream is the core's own pump. */
  canPipe(): boolean {
    return this.state === 'open' && !this.waiting && this.wrapped === undefined && isPipeable(this.reads) && this.reads.canPipe();
  }

  /**
   * The rest of the stream pushed to `sink` as each item arrives, under the same rules as reading it: the
   * stall clock runs while the upstream owes an item (not while the sink is behind), an abort or a
   * failure goes through `failed` and ends it, and everything is released once at the end.
   */
  pipe(sink: ItemSink<StreamItem>): PipeHandle {
    this.waiting = true;
    const upstream = (this.reads as unknown as Pipeable<StreamItem>).pipe({
      item: (item) => {
        if (this.state === 'over') return false;
        if (this.signal.aborted) {
          this.failPiped(sink, this.signal.reason);
          return false;
        }
        this.note(item);
        this.owedSince = performance.now();
        const more = sink.item(item);
        this.waiting = more;
        return more;
      },
      end: () => {
        if (this.state === 'over') return;
        this.waiting = false;
        this.finish();
        sink.end();
      },
      fail: (thrown) => this.failPiped(sink, thrown),
    });
    return {
      resume: () => {
        if (this.state === 'over') return;
        // The caller caught up: from now on the upstream owes the next item.
        this.owedSince = performance.now();
        this.waiting = true;
        upstream.resume();
      },
    };
  }

  private failPiped(sink: ItemSink<StreamItem>, thrown: unknown): void {
    if (this.state === 'over') return;
    this.waiting = false;
    const error = this.failed(thrown);
    this.finish();
    sink.fail(error);
  }

  /** The consumer stopped early (a `break`, a failed write): the upstream call and its slot are released. */
  return(): Promise<IteratorResult<StreamItem>> {
    this.finish();
    return Promise.resolve(DONE);
  }

  throw(reason: unknown): Promise<IteratorResult<StreamItem>> {
    this.finish();
    return Promise.reject(reason);
  }

  private start(): void {
    this.state = 'open';
    const { attempt, signal } = this;
    const { stallMs } = attempt.timeouts;
    if (this.wrapped) signal.addEventListener('abort', this.onAbort, { once: true });
    this.owedSince = performance.now();
    this.armStall(stallMs);
    this.overall = setTimeout(
      () => attempt.abort(new UpstreamTimeoutError(`${attempt.entry.resolved} did not finish within its time`, 'attempt')),
      attempt.remainingMs(),
    );
  }

  /**
   * The stall clock is a timestamp per item and one timer that checks it, not a timer re-armed per item:
   * with thousands of streams open, re-linking a timer on every chunk costs more than reading the clock.
   * A firing that finds the upstream owing an item for less than the limit waits out the rest; time the
   * caller takes to read (backpressure, no read pending) is not the upstream's stall and re-arms it whole.
   */
  private armStall(delayMs: number): void {
    const { stallMs } = this.attempt.timeouts;
    this.stall = setTimeout(() => {
      if (this.state === 'over') return;
      if (!this.waiting) return this.armStall(stallMs);
      const owed = performance.now() - this.owedSince;
      if (owed < stallMs) return this.armStall(Math.ceil(stallMs - owed));
      this.attempt.abort(new UpstreamTimeoutError(`${this.attempt.entry.resolved} stalled: no chunk for ${stallMs}ms`, 'stall'));
    }, delayMs);
  }

  private note(item: StreamItem): StreamItem {
    if (!isSerializedChunk(item) && item.usage) this.attempt.scope.outcome.usage = item.usage;
    this.summary?.add(item);
    return item;
  }

  private readonly arrived = (result: IteratorResult<StreamItem>): IteratorResult<StreamItem> => {
    this.waiting = false;
    if (this.state === 'over') return DONE;
    if (result.done) {
      this.finish();
      return DONE;
    }
    this.note(result.value);
    return result;
  };

  private readonly broke = (thrown: unknown): Promise<IteratorResult<StreamItem>> => {
    this.waiting = false;
    return this.fail(thrown);
  };

  private fail(thrown: unknown): Promise<IteratorResult<StreamItem>> {
    if (this.state === 'over') return Promise.resolve(DONE);
    const error = this.failed(thrown);
    this.finish();
    return Promise.reject(error);
  }

  private readonly onAbort = (): void => {
    this.wrapped!.abort(this.signal.reason);
  };

  /** Releases everything once, however the stream ended. */
  private finish(): void {
    if (this.state === 'over') return;
    const started = this.state === 'open';
    this.state = 'over';
    // A stream never read holds no timers or listener; its upstream iterator and attempt are released all the same.
    if (started) {
      clearTimeout(this.stall);
      clearTimeout(this.overall);
      if (this.wrapped) this.signal.removeEventListener('abort', this.onAbort);
    }
    this.opened.iterator.return?.().catch(() => undefined);
    this.attempt.dispose();
    if (this.summary) this.ended!(this.summary.finishReasons);
  }
}

/**
 * Reads of a provider's stream, one at a time, that an abort settles at once even when the provider does
 * not notice its signal (a plugin that ignores it must not hang the stream past its timeouts). The
 * callbacks are made once per stream, not per read.
 */
class AbortableReads implements AsyncIterator<StreamItem> {
  private resolve: ((result: IteratorResult<StreamItem>) => void) | undefined;
  private reject: ((reason: unknown) => void) | undefined;

  constructor(
    private readonly iterator: AsyncIterator<StreamItem>,
    private readonly signal: AbortSignal,
  ) {}

  next(): Promise<IteratorResult<StreamItem>> {
    const read = new Promise<IteratorResult<StreamItem>>(this.arm);
    this.iterator.next().then(this.settle, this.fail);
    return read;
  }

  abort(reason: unknown): void {
    const reject = this.reject;
    this.resolve = this.reject = undefined;
    reject?.(reason);
  }

  private readonly arm = (resolve: (result: IteratorResult<StreamItem>) => void, reject: (reason: unknown) => void): void => {
    this.resolve = resolve;
    this.reject = reject;
  };

  // A read that the abort already settled finds nothing to settle here.
  private readonly settle = (result: IteratorResult<StreamItem>): void => {
    const resolve = this.resolve;
    this.resolve = this.reject = undefined;
    resolve?.(result);
  };

  private readonly fail = (err: unknown): void => {
    const reject = this.reject;
    this.resolve = this.reject = undefined;
    reject?.(this.signal.aborted ? this.signal.reason : err);
  };
}
