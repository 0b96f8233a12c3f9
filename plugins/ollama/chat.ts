import { completionId, unixSeconds, type ChatCompletion, type ChatCompletionRequest, type ProviderCall } from '../../core/index.ts';
import { requestJson, type OllamaDeps } from './http-json.ts';
import { toOllamaChatRequest, type RequestDefaults } from './translate-request.ts';
import { fromOllamaChat } from './translate-response.ts';

/** A whole answer from `POST /api/chat` with `stream: false`. */
export async function ollamaChat(
  deps: OllamaDeps & { defaults: RequestDefaults },
  request: ChatCompletionRequest,
  call: ProviderCall,
): Promise<ChatCompletion> {
  const payload = toOllamaChatRequest(request, call.model, deps.defaults, false);
  const body = await requestJson(deps, '/api/chat', payload, call.signal, call.headers);
  return fromOllamaChat(body, { id: completionId(), created: unixSeconds(), model: call.resolved, provider: deps.name });
}
