import { pumpToEndMarker, SseParser, type ChatCompletionRequest, type ProviderCall, type StreamItem, type UpstreamClient } from '../../core/index.ts';
import { streamItems, streamTarget } from './stream-payload.ts';

/**
 * POST /chat/completions with `stream: true`, yielding each chunk as the upstream sends it. Nothing is
 * yielded before the first event, so a failure until then can still fall back; an upstream that stops
 * without `data: [DONE]` makes the stream throw, so a cut answer never looks complete.
 */
export function streamChat(client: UpstreamClient, request: ChatCompletionRequest, call: ProviderCall): AsyncIterableIterator<StreamItem> {
  const target = streamTarget(client.provider, call.resolved, (text) => client.redact(text));
  return pumpToEndMarker(client, call.signal, {
    send: () => {
      const body = JSON.stringify({ ...request, model: call.model, stream: true, stream_options: { ...request.stream_options, include_usage: true } });
      return client.send('/chat/completions', { body, signal: call.signal, headers: { accept: 'text/event-stream', ...call.headers } });
    },
    parse: () => new SseParser(),
    items: ({ data }) => (data === '[DONE]' || data.trim() === '' ? [] : streamItems(data, target)),
    isEnd: ({ data }) => data === '[DONE]',
    cutMessage: `${client.provider}: the stream ended without data: [DONE]; the answer may be cut short`,
  });
}
