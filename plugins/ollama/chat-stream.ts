import {
  completionId,
  pumpToEndMarker,
  NdjsonParser,
  unixSeconds,
  type ChatCompletionChunk,
  type ChatCompletionRequest,
  type ProviderCall,
} from '../../core/index.ts';
import type { OllamaDeps } from './http-json.ts';
import { toOllamaChatRequest, type RequestDefaults } from './translate-request.ts';
import { OllamaStreamTranslator } from './translate-stream.ts';
import { ollamaReply } from './upstream-errors.ts';

/**
 * A streamed answer from `POST /api/chat` (NDJSON). Nothing is yielded before Ollama's first line, so a
 * failure before it can still fall back; after that, a stream that ends without its `done: true` line
 * throws instead of ending, so a cut-off answer never looks complete.
 */
export function ollamaChatStream(deps: OllamaDeps & { defaults: RequestDefaults }, request: ChatCompletionRequest, call: ProviderCall): AsyncIterableIterator<ChatCompletionChunk> {
  const translator = new OllamaStreamTranslator({ id: completionId(), created: unixSeconds(), model: call.resolved, provider: deps.name });
  return pumpToEndMarker(deps.client, call.signal, {
    // The signal goes to undici, so an abort tears down the upstream connection and Ollama stops generating.
    send: () =>
      deps.client.send('/api/chat', {
        body: JSON.stringify(toOllamaChatRequest(request, call.model, deps.defaults, true)),
        signal: call.signal,
        headers: { accept: 'application/x-ndjson', ...call.headers },
      }),
    ...ollamaReply,
    parse: () => new NdjsonParser(deps.name),
    items: (line) => translator.push(line),
    // Nothing may follow the done line: the pump reads the body's end (keeping the connection) or cuts it.
    isEnd: () => translator.done,
    cutMessage: `${deps.name}: the stream ended before done (the answer was cut off)`,
  });
}
