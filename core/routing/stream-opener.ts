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
 * The chunks after the first, each within the stall limit (or what is left of the attempt and of the
 * request). A stall aborts the upstream call and throws a timeout.
 */
export async function* remainingChunks(attempt: Attempt, iterator: AsyncIterator<StreamItem>): AsyncGenerator<StreamItem> {
  try {
    for (;;) {
      const limit = Math.min(attempt.timeouts.stallMs, attempt.remainingMs());
      const next = await attempt.within(
        iterator.next(),
        limit,
        () => new UpstreamTimeoutError(`${attempt.entry.resolved} stalled: no chunk for ${limit}ms`, 'stall'),
      );
      if (next.done) return;
      yield next.value;
    }
  } finally {
    iterator.return?.().catch(() => undefined);
    attempt.dispose();
  }
}
