import { InvalidRequestError, type ChatCompletionRequest, type ResponseFormat } from '../../core/index.ts';
import type { OllamaChatRequest } from './ollama-types.ts';
import { toOllamaMessages } from './translate-messages.ts';

/** What the instance's options add to every request. */
export interface RequestDefaults {
  keepAlive?: string | number;
  numCtx?: number;
}

/** OpenAI sampling parameters that Ollama takes under the same name inside `options`. */
const SAME_NAME_OPTIONS = ['temperature', 'top_p', 'seed', 'frequency_penalty', 'presence_penalty'] as const;

/** OpenAI chat request → Ollama `/api/chat` body. */
export function toOllamaChatRequest(
  request: ChatCompletionRequest,
  model: string,
  defaults: RequestDefaults,
  stream: boolean,
): OllamaChatRequest {
  const body: OllamaChatRequest = { model, messages: toOllamaMessages(request.messages ?? []), stream };
  const options = toOllamaOptions(request, defaults.numCtx);
  if (Object.keys(options).length > 0) body.options = options;
  const format = toOllamaFormat(request.response_format);
  if (format !== undefined) body.format = format;
  // Ollama has no tool_choice; "none" is honoured by not offering the tools at all.
  if (Array.isArray(request.tools) && request.tools.length > 0 && request.tool_choice !== 'none') body.tools = request.tools;
  const keepAlive = isKeepAlive(request.keep_alive) ? request.keep_alive : defaults.keepAlive;
  if (keepAlive !== undefined) body.keep_alive = keepAlive;
  if (typeof request.think === 'boolean' || typeof request.think === 'string') body.think = request.think;
  return body;
}

/**
 * The `options` object. A caller that knows it talks to Ollama may send Ollama's own `options` (top_k,
 * num_ctx, …); the OpenAI parameters win over it, and the instance's `numCtx` fills in when neither set one.
 */
export function toOllamaOptions(request: ChatCompletionRequest, numCtx?: number): Record<string, unknown> {
  const native = request.options;
  if (native !== undefined && native !== null && (typeof native !== 'object' || Array.isArray(native))) {
    throw new InvalidRequestError('options (Ollama model options) must be an object.', 'options');
  }
  const options: Record<string, unknown> = { ...(native as Record<string, unknown> | undefined) };
  for (const name of SAME_NAME_OPTIONS) {
    const value = request[name];
    if (value !== undefined && value !== null) options[name] = value;
  }
  const maxTokens = request.max_completion_tokens ?? request.max_tokens;
  if (maxTokens !== undefined && maxTokens !== null) options.num_predict = maxTokens;
  const stop = request.stop;
  if (typeof stop === 'string') options.stop = [stop];
  else if (Array.isArray(stop) && stop.length > 0) options.stop = stop;
  if (options.num_ctx === undefined && numCtx !== undefined) options.num_ctx = numCtx;
  return options;
}

/** `response_format` → Ollama `format`: `"json"` for JSON mode, the schema itself for structured output. */
export function toOllamaFormat(format: ResponseFormat | undefined): OllamaChatRequest['format'] {
  if (!format) return undefined;
  if (format.type === 'json_object') return 'json';
  if (format.type === 'json_schema') {
    const schema = format.json_schema?.schema;
    return schema && typeof schema === 'object' ? schema : 'json';
  }
  return undefined;
}

function isKeepAlive(value: unknown): value is string | number {
  return typeof value === 'string' || typeof value === 'number';
}
