import {
  errorFromResponse,
  finishAfterEndMarker,
  isSuccess,
  readSseEvents,
  UpstreamProtocolError,
  type ChatCompletionRequest,
  type ProviderCall,
  type SseEvent,
  type StreamItem,
  type UpstreamClient,
} from '../../core/index.ts';
import { streamItems, streamTarget } from './stream-payload.ts';

/**
 * POST /chat/completions with `stream: true`, yielding each chunk as the upstream sends it. Nothing is
 * yielded before the first event, so a failure until then can still fall back; an upstream that stops
 * without `data: [DONE]` makes the stream throw, so a cut answer never looks complete.
 */
export async function* streamChat(client: UpstreamClient, request: ChatCompletionRequest, call: ProviderCall): AsyncGenerator<StreamItem> {
  const body = JSON.stringify({
    ...request,
    model: call.model,
    stream: true,
    stream_options: { ...request.stream_options, include_usage: true },
  });
  const response = await client.send('/chat/completions', { body, signal: call.signal, headers: { accept: 'text/event-stream' } });
  if (!isSuccess(response)) throw await errorFromResponse(client, response, call.signal);

  const target = streamTarget(client.provider, call.resolved, (text) => client.redact(text));
  const events = readSseEvents(response.body)[Symbol.asyncIterator]();
  try {
    for (;;) {
      let next: IteratorResult<SseEvent>;
      try {
        next = await events.next();
      } catch (err) {
        throw client.transportError(err, call.signal, 'read');
      }
      if (next.done) break;
      const data = next.value.data;
      if (data === '[DONE]') {
        await finishAfterEndMarker(events.next(), response.body);
        return;
      }
      if (data.trim() === '') continue;
      for (const item of streamItems(data, target)) yield item;
    }
  } finally {
    // Ends the body when the consumer stopped early or an event threw: the upstream request is released.
    await events.return(undefined).catch(() => undefined);
  }
  throw new UpstreamProtocolError(`${client.provider}: the stream ended without data: [DONE]; the answer may be cut short`);
}
