import {
  completionId,
  errorFromResponse,
  isSuccess,
  pumpToEndMarker,
  readNdjson,
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
export async function* ollamaChatStream(
  deps: OllamaDeps & { defaults: RequestDefaults },
  request: ChatCompletionRequest,
  call: ProviderCall,
): AsyncGenerator<ChatCompletionChunk> {
  const payload = toOllamaChatRequest(request, call.model, deps.defaults, true);
  // The signal goes to undici, so an abort tears down the upstream connection and Ollama stops generating.
  const response = await deps.client.send('/api/chat', {
    body: JSON.stringify(payload),
    signal: call.signal,
    headers: { accept: 'application/x-ndjson' },
  });
  if (!isSuccess(response)) throw await errorFromResponse(deps.client, response, call.signal, ollamaReply);

  const translator = new OllamaStreamTranslator({ id: completionId(), created: unixSeconds(), model: call.resolved, provider: deps.name });
  yield* pumpToEndMarker(deps.client, response, call.signal, {
    read: (body) => readNdjson(body, deps.name),
    items: (line) => translator.push(line),
    // Nothing may follow the done line: the pump reads the body's end (keeping the connection) or cuts it.
    isEnd: () => translator.done,
    cutMessage: `${deps.name}: the stream ended before done (the answer was cut off)`,
  });
}
