import type { ProviderCall, Provider, StreamItem } from '../contracts/provider.ts';
import { isSerializedChunk } from '../contracts/provider.ts';
import { UpstreamProtocolError } from '../errors/upstream-protocol-error.ts';
import { UpstreamTimeoutError } from '../errors/upstream-timeout-error.ts';
import { isAbortAware } from '../upstream/abort-aware.ts';
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
 * Per chunk this costs one promise and a timer refresh — no new timers, listeners or closures — because
 * it runs for every token of every answer. The usage a provider reports is noted in the request's outcome.
 */
export async function* committedStream(
  attempt: Attempt,
  opened: OpenedStream,
  failed: (thrown: unknown) => unknown,
  /** Told the finish reasons when the stream is over, however it ended (only when someone reports attempts). */
  ended?: (finishReasons: string[]) => void,
): AsyncGenerator<StreamItem> {
  const summary = ended ? new StreamSummary() : undefined;
  const { stallMs } = attempt.timeouts;
  const { outcome } = attempt.scope;
  const signal = attempt.signal;
  // The core's own pump fails its pending read when the signal aborts; any other iterator is read through
  // a wrapper that the abort settles at once.
  const wrapped = isAbortAware(opened.iterator) ? undefined : new AbortableReads(opened.iterator, signal);
  const reads: AsyncIterator<StreamItem> = wrapped ?? opened.iterator;
  const onAbort = () => wrapped!.abort(signal.reason);
  if (wrapped) signal.addEventListener('abort', onAbort, { once: true });
  /** Whether a read is waiting for the provider. */
  let waiting = false;
  // The stall clock runs only while the upstream owes a chunk: time the caller takes to read (backpressure)
  // is not the upstream's stall, so a firing that finds no pending read just re-arms.
  const stall = setTimeout(() => {
    if (waiting) attempt.abort(new UpstreamTimeoutError(`${attempt.entry.resolved} stalled: no chunk for ${stallMs}ms`, 'stall'));
    else stall.refresh();
  }, stallMs);
  const overall = setTimeout(
    () => attempt.abort(new UpstreamTimeoutError(`${attempt.entry.resolved} did not finish within its time`, 'attempt')),
    attempt.remainingMs(),
  );
  try {
    let item = opened.first;
    for (;;) {
      if (!isSerializedChunk(item) && item.usage) outcome.usage = item.usage;
      summary?.add(item);
      yield item;
      if (signal.aborted) throw signal.reason;
      stall.refresh();
      waiting = true;
      const next = await reads.next();
      waiting = false;
      if (next.done) return;
      item = next.value;
    }
  } catch (thrown) {
    throw failed(thrown);
  } finally {
    clearTimeout(stall);
    clearTimeout(overall);
    if (wrapped) signal.removeEventListener('abort', onAbort);
    opened.iterator.return?.().catch(() => undefined);
    attempt.dispose();
    if (summary) ended!(summary.finishReasons);
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
