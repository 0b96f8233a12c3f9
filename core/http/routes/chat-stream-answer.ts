import { CompletionAssembler } from '../../cache/completion-assembler.ts';
import type { ChatCompletionChunk, ChatCompletionRequest } from '../../contracts/openai.ts';
import { isSerializedChunk, type StreamItem } from '../../contracts/provider.ts';
import { bareJsonStream, wantsJson } from '../../openai/json-mode.ts';
import { isPipeable, type Pipeable } from '../../upstream/item-sink.ts';
import { firstEventSent } from '../event-stream.ts';
import { RESOLVED_HEADER } from '../headers.ts';
import { SseWriter } from '../sse-writer.ts';
import type { ChatAnswer } from './chat-answer.ts';
import { streamFailure } from './stream-failure.ts';

/**
 * A streamed answer. The router walks the chain until an entry produces its first chunk; only then do the
 * status and headers go out, and from there on this function only writes what the router yields: a
 * failure the router reports ends the stream with one error event. A stream that finished cleanly is
 * stored in the cache as the whole answer it adds up to.
 */
export const streamAnswer: ChatAnswer = async (ctx, services, served, request, needs, plan) => {
  const { scope, resolution } = served;
  // Providers always report usage (for metrics and cost); the writer drops it when the caller did not ask.
  const upstreamRequest: ChatCompletionRequest = { ...request, stream: true, stream_options: { include_usage: true } };
  const { entry, chunks } = await services.router.stream(scope, resolution, needs, (provider, call) => provider.chatStream(upstreamRequest, call));

  const resolved = entry.resolved;
  ctx.respond = false;
  ctx.status = 200;
  const writer = new SseWriter(ctx.res, resolved, request.stream_options?.include_usage === true);
  writer.begin({ [RESOLVED_HEADER]: resolved });
  const assembler = plan?.store ? new CompletionAssembler() : undefined;
  const iterator = (wantsJson(request) ? bareJsonStream(chunks) : chunks)[Symbol.asyncIterator]();
  try {
    let next = await iterator.next();
    if (!next.done) {
      assembler?.add(asObject(next.value, resolved));
      const full = writer.write(next.value);
      await firstEventSent();
      if (full) await full;
    }
    // The common stream (no answer to assemble, no JSON fences to strip) is pushed from the upstream's
    // own callback from here on; anything else is read item by item.
    if (!next.done && !assembler && isPipeable<StreamItem>(iterator) && iterator.canPipe()) {
      await pipeToCaller(iterator, writer);
    } else {
      while (!next.done) {
        next = await iterator.next();
        if (next.done) break;
        assembler?.add(asObject(next.value, resolved));
        const full = writer.write(next.value);
        if (full) await full;
      }
    }
  } catch (thrown) {
    const error = streamFailure(thrown, served, services.log);
    if (error) writer.error(error, scope.requestId);
    return;
  } finally {
    // A stream left early (a failed write) gives its upstream call and slot back; after its end this is a no-op.
    void iterator.return?.()?.catch(() => undefined);
  }
  if (scope.clientClosed) return;
  writer.done();
  if (assembler && plan) services.cache.save(plan, 'chat', resolved, JSON.stringify(assembler.completion()));
};

/** Writes every item as it is pushed, holding the upstream while the caller's socket is full; settles at the end, rejects with the failure. */
function pipeToCaller(stream: Pipeable<StreamItem>, writer: SseWriter): Promise<void> {
  return new Promise((resolve, reject) => {
    const handle = stream.pipe({
      item: (item) => {
        const full = writer.write(item);
        if (!full) return true;
        void full.then(() => handle.resume());
        return false;
      },
      end: resolve,
      fail: reject,
    });
  });
}

/** The chunk as an object (parsing a pre-serialized one), with the resolved model, for the assembler. */
function asObject(item: StreamItem, resolved: string): ChatCompletionChunk {
  if (isSerializedChunk(item)) return JSON.parse(item.serialized) as ChatCompletionChunk;
  return { ...item, model: resolved, usage: item.usage };
}
