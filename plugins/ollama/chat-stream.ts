import {
  GatewayError,
  UpstreamProtocolError,
  completionId,
  readNdjson,
  unixSeconds,
  type ChatCompletionChunk,
  type ChatCompletionRequest,
  type ProviderCall,
} from '../../core/index.ts';
import { statusErrorOf, type OllamaDeps } from './http-json.ts';
import { toOllamaChatRequest, type RequestDefaults } from './translate-request.ts';
import { OllamaStreamTranslator } from './translate-stream.ts';

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
  if (response.statusCode < 200 || response.statusCode >= 300) throw await statusErrorOf(deps, response, call.signal);

  const translator = new OllamaStreamTranslator({ id: completionId(), created: unixSeconds(), model: call.resolved, provider: deps.name });
  try {
    for await (const line of readNdjson(response.body, deps.name)) {
      for (const chunk of translator.push(line)) yield chunk;
      // Leaving the loop closes the body; nothing may follow the done line anyway.
      if (translator.done) return;
    }
  } catch (err) {
    if (err instanceof GatewayError && !call.signal.aborted) throw err;
    throw deps.client.transportError(err, call.signal);
  }
  throw new UpstreamProtocolError(`${deps.name}: the stream ended before done (the answer was cut off)`);
}
