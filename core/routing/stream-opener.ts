import type { StreamItem } from '../contracts/provider.ts';
import type { ChatCompletionRequest } from '../contracts/openai.ts';
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
export async function openStream(attempt: Attempt, request: ChatCompletionRequest): Promise<OpenedStream> {
  const iterator = attempt.provider.chatStream(request, attempt.call)[Symbol.asyncIterator]();
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
 * The chunks after the first. Between two chunks at most the stall limit may pass, and the whole stream
 * must end within what is left of the attempt and of the request; either limit aborts the upstream call
 * and the stream throws a timeout. Per chunk this costs one promise and a timer refresh — no new timers
 * or listeners — because it runs for every token of every answer.
 */
export async function* remainingChunks(attempt: Attempt, iterator: AsyncIterator<StreamItem>): AsyncGenerator<StreamItem> {
  const { stallMs } = attempt.timeouts;
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
    for (;;) {
      if (signal.aborted) throw signal.reason;
      stall.refresh();
      const next = await new Promise<IteratorResult<StreamItem>>((resolve, reject) => {
        rejectPending = reject;
        iterator.next().then(resolve, (err) => reject(signal.aborted ? signal.reason : err));
      });
      rejectPending = undefined;
      if (next.done) return;
      yield next.value;
    }
  } finally {
    clearTimeout(stall);
    clearTimeout(overall);
    signal.removeEventListener('abort', onAbort);
    iterator.return?.().catch(() => undefined);
    attempt.dispose();
  }
}
