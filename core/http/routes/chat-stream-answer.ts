import { CompletionAssembler } from '../../cache/completion-assembler.ts';
import type { ChatCompletionChunk, ChatCompletionRequest } from '../../contracts/openai.ts';
import { isSerializedChunk, type StreamItem } from '../../contracts/provider.ts';
import { GatewayError, isGatewayError } from '../../errors/gateway-error.ts';
import { UpstreamProtocolError } from '../../errors/upstream-protocol-error.ts';
import { bareJsonStream, wantsJson } from '../../openai/json-mode.ts';
import { openStream, remainingChunks } from '../../routing/stream-opener.ts';
import { SseWriter } from '../sse-writer.ts';
import type { ChatAnswer } from './chat-answer.ts';
import { RESOLVED_HEADER } from '../headers.ts';

/**
 * A streamed answer. The chain is walked until an entry produces its first chunk; only then do the
 * status and headers go out, and from there on the stream belongs to that entry: a failure ends it with
 * one error event. A stream that finished cleanly is stored in the cache as the whole answer it adds up to.
 */
export async function streamAnswer({ ctx, services, request, needs, chain, scope, outcome, plan }: ChatAnswer): Promise<void> {
  const includeUsage = request.stream_options?.include_usage === true;
  // Providers always report usage (for metrics); the writer drops it when the caller did not ask.
  const upstreamRequest: ChatCompletionRequest = { ...request, stream: true, stream_options: { include_usage: true } };
  const { value: opened, attempt } = await services.router.walk(scope, chain, needs, (a) => openStream(a, upstreamRequest));

  const resolved = attempt.entry.resolved;
  Object.assign(outcome, { resolved, provider: attempt.entry.provider, model: attempt.entry.model });
  ctx.respond = false;
  ctx.status = 200;
  const writer = new SseWriter(ctx.res, resolved, includeUsage);
  writer.begin({ [RESOLVED_HEADER]: resolved });
  const assembler = plan?.store ? new CompletionAssembler() : undefined;
  const rest = remainingChunks(attempt, opened.iterator);
  const emit = async (item: StreamItem) => {
    if (assembler) assembler.add(asObject(item, resolved));
    await writer.write(item);
    outcome.ttftMs ??= performance.now() - scope.startedAt;
  };
  try {
    if (wantsJson(request)) {
      // Fence removal looks at the text across chunks, the first one included.
      for await (const item of bareJsonStream(concat(opened.first, rest))) await emit(item);
    } else {
      await emit(opened.first);
      for await (const item of rest) await emit(item);
    }
    outcome.usage = writer.usage;
    if (scope.clientClosed) throw scope.reason;
    writer.done();
    if (assembler && plan) services.cache.save(plan, 'chat', resolved, JSON.stringify(assembler.completion()));
  } catch (thrown) {
    outcome.usage = writer.usage;
    if (scope.clientClosed) throw scope.reason;
    const error = isGatewayError(thrown) ? thrown : new UpstreamProtocolError(`${resolved}: ${(thrown as Error)?.message ?? String(thrown)}`, thrown);
    services.router.failedAfterCommit(attempt, error);
    services.log.warn({ requestId: scope.requestId, resolved, code: error.code, err: error.message }, 'stream ended with an error after its first chunk');
    writer.error(error, scope.requestId);
    throw new StreamFailedError(error);
  } finally {
    // However the stream ended, the upstream call and its concurrency slot are released (both idempotent).
    attempt.dispose();
    opened.iterator.return?.().catch(() => undefined);
  }
}

async function* concat(first: StreamItem, rest: AsyncIterable<StreamItem>): AsyncGenerator<StreamItem> {
  yield first;
  yield* rest;
}

/** The chunk as an object (parsing a pre-serialized one), with the resolved model, for the assembler. */
function asObject(item: StreamItem, resolved: string): ChatCompletionChunk {
  if (isSerializedChunk(item)) return JSON.parse(item.serialized) as ChatCompletionChunk;
  return { ...item, model: resolved, usage: item.usage };
}

/** A stream that failed after it began: the error event is already written; only the request log needs it. */
class StreamFailedError extends GatewayError {
  constructor(inner: GatewayError) {
    super(inner.message, { status: inner.status, code: inner.code, reason: inner.reason, cause: inner });
  }
}
