import {
  GatewayError,
  UpstreamProtocolError,
  completionId,
  errorFromResponse,
  finishAfterEndMarker,
  isSuccess,
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
  const lines = readNdjson(response.body, deps.name)[Symbol.asyncIterator]();
  try {
    for (;;) {
      const next = await lines.next();
      if (next.done) break;
      for (const chunk of translator.push(next.value)) yield chunk;
      if (translator.done) {
        // Nothing may follow the done line: read the body's end (keeping the connection) or cut it.
        await finishAfterEndMarker(lines.next(), response.body);
        return;
      }
    }
  } catch (err) {
    if (err instanceof GatewayError && !call.signal.aborted) throw err;
    throw deps.client.transportError(err, call.signal, 'read');
  } finally {
    // Closes the body when the consumer stopped early: the upstream request is released.
    await lines.return(undefined).catch(() => undefined);
  }
  throw new UpstreamProtocolError(`${deps.name}: the stream ended before done (the answer was cut off)`);
}
