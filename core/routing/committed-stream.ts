import type { ProviderCall, Provider, StreamItem } from '../contracts/provider.ts';
import { isSerializedChunk } from '../contracts/provider.ts';
import { UpstreamProtocolError } from '../errors/upstream-protocol-error.ts';
import { UpstreamTimeoutError } from '../errors/upstream-timeout-error.ts';
import type { Attempt } from './attempt.ts';

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
 * Per chunk this costs one promise and a timer refresh — no new timers or listeners — because it runs for
 * every token of every answer. The usage a provider reports is noted in the request's outcome.
 */
export async function* committedStream(attempt: Attempt, opened: OpenedStream, failed: (thrown: unknown) => unknown): AsyncGenerator<StreamItem> {
  const { iterator } = opened;
  const { stallMs } = attempt.timeouts;
  const { outcome } = attempt.scope;
  const signal = attempt.signal;
  let rejectPending: ((reason: unknown) => void) | undefined;
  const onAbort = () => rejectPending?.(signal.reason);
  signal.addEventListener('abort', onAbort, { once: true });
  // The stall clock runs only while the upstream owes a chunk: time the caller takes to read (backpressure)
  // is not the upstream's stall, so a firing that finds no pending read just re-arms.
  const stall = setTimeout(() => {
    if (rejectPending) attempt.abort(new UpstreamTimeoutError(`${attempt.entry.resolved} stalled: no chunk for ${stallMs}ms`, 'stall'));
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
      yield item;
      if (signal.aborted) throw signal.reason;
      stall.refresh();
      const next = await new Promise<IteratorResult<StreamItem>>((resolve, reject) => {
        rejectPending = reject;
        iterator.next().then(resolve, (err) => reject(signal.aborted ? signal.reason : err));
      });
      rejectPending = undefined;
      if (next.done) return;
      item = next.value;
    }
  } catch (thrown) {
    throw failed(thrown);
  } finally {
    clearTimeout(stall);
    clearTimeout(overall);
    signal.removeEventListener('abort', onAbort);
    iterator.return?.().catch(() => undefined);
    attempt.dispose();
  }
}
