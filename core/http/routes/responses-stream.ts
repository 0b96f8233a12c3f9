import type { ServerResponse } from 'node:http';
import { CompletionAssembler } from '../../cache/completion-assembler.ts';
import type { ChatCompletionChunk, ChatCompletionRequest } from '../../contracts/openai.ts';
import { isSerializedChunk, type StreamItem } from '../../contracts/provider.ts';
import type { ResponseStreamEvent } from '../../contracts/responses.ts';
import { bareJsonStream, wantsJson } from '../../openai/json-mode.ts';
import { responseContext } from '../../responses/response-context.ts';
import { EventSerializer } from '../../responses/sse-event.ts';
import { ResponseStreamTranslator } from '../../responses/stream-translator.ts';
import { EVENT_STREAM_HEADERS, firstEventSent, writeEvent } from '../event-stream.ts';
import { RESOLVED_HEADER } from '../headers.ts';
import { keepResponse, type ResponsesAnswer } from './responses-turn.ts';
import { streamFailure } from './stream-failure.ts';

/**
 * A streamed Response. The router walks the chain until an entry produces its first chunk (falling back
 * on anything before it); then the headers go out and every chat chunk becomes its Responses events. A
 * stream that ends cleanly ends with `response.completed` (or `response.incomplete`); one that breaks
 * after it began ends with `response.failed` and never with `completed`.
 */
export const streamResponse: ResponsesAnswer = async (ctx, services, served, turn, needs, plan) => {
  const { scope, resolution } = served;
  // Providers always report usage (for metrics, cost and the response's own usage).
  const upstreamRequest: ChatCompletionRequest = { ...turn.chat, stream: true, stream_options: { include_usage: true } };
  const { entry, chunks } = await services.router.stream(scope, resolution, needs, (provider, call) => provider.chatStream(upstreamRequest, call));

  const translator = new ResponseStreamTranslator(responseContext(turn.request, entry.resolved));
  ctx.respond = false;
  ctx.status = 200;
  const res = ctx.res;
  res.writeHead(200, { ...EVENT_STREAM_HEADERS, [RESOLVED_HEADER]: entry.resolved });
  const assembler = plan?.store ? new CompletionAssembler() : undefined;
  const serializer = new EventSerializer();
  let first = true;
  try {
    for await (const item of wantsJson(turn.chat) ? bareJsonStream(chunks) : chunks) {
      const chunk = asObject(item, entry.resolved);
      assembler?.add(chunk);
      const full = writeAll(res, serializer, translator.push(chunk));
      if (first) {
        first = false;
        await firstEventSent();
      }
      if (full) await full;
    }
  } catch (thrown) {
    const error = streamFailure(thrown, served, services.log);
    if (error) {
      writeAll(res, serializer, translator.fail({ code: error.code, message: error.message }));
      res.end();
    }
    return;
  }
  if (scope.clientClosed) return;
  writeAll(res, serializer, translator.finish());
  res.end();
  if (assembler && plan) services.cache.save(plan, 'chat', entry.resolved, JSON.stringify(assembler.completion()));
  const { response } = translator;
  // The final event carried it: the store keeps the text the caller got.
  if (response) keepResponse(ctx, services, turn, response, serializer.response === response ? serializer.responseText : undefined);
};

/**
 * Writes the events of one chunk as one write (the first chunk alone brings five: created, in_progress,
 * the item, its part, the delta), so they cost one socket write, not one each; a promise when the
 * socket's buffer is full (wait for it before more).
 */
function writeAll(res: ServerResponse, serializer: EventSerializer, events: ResponseStreamEvent[]): Promise<void> | undefined {
  if (events.length === 0) return undefined;
  return writeEvent(res, serializer.text(events));
}

/** The chunk as an object (parsing a pre-serialized one), with the resolved model. */
function asObject(item: StreamItem, resolved: string): ChatCompletionChunk {
  if (isSerializedChunk(item)) return JSON.parse(item.serialized) as ChatCompletionChunk;
  item.model = resolved;
  return item;
}
