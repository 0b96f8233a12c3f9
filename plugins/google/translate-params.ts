import type { GenerateContentConfig } from '@google/genai';
import { InvalidRequestError, type ChatCompletionRequest } from '../../core/index.ts';
import { toGeminiSchema } from './gemini-schema.ts';
import { toGeminiToolConfig, toGeminiTools } from './translate-tools.ts';

/**
 * The OpenAI request's parameters → Gemini's generation config (the SDK's `config`, which it splits into
 * `generationConfig`, `tools` and `toolConfig` on the wire). Parameters Gemini lacks are left out.
 */
export function toGenerateConfig(request: ChatCompletionRequest): GenerateContentConfig {
  const config: GenerateContentConfig = {};
  if (isNumber(request.temperature)) config.temperature = request.temperature;
  if (isNumber(request.top_p)) config.topP = request.top_p;
  const maxTokens = request.max_completion_tokens ?? request.max_tokens;
  if (isNumber(maxTokens)) config.maxOutputTokens = maxTokens;
  if (typeof request.stop === 'string') config.stopSequences = [request.stop];
  else if (Array.isArray(request.stop) && request.stop.length > 0) config.stopSequences = request.stop;
  if (isNumber(request.seed)) config.seed = request.seed;
  if (isNumber(request.presence_penalty)) config.presencePenalty = request.presence_penalty;
  if (isNumber(request.frequency_penalty)) config.frequencyPenalty = request.frequency_penalty;
  if (isNumber(request.n)) config.candidateCount = request.n;
  Object.assign(config, responseFormat(request.response_format));
  const tools = toGeminiTools(request.tools);
  if (tools) {
    config.tools = tools;
    const toolConfig = toGeminiToolConfig(request.tool_choice, request.tools);
    if (toolConfig) config.toolConfig = toolConfig;
  }
  return config;
}

function responseFormat(format: ChatCompletionRequest['response_format']): GenerateContentConfig {
  if (!format || format.type === 'text') return {};
  if (format.type === 'json_object') return { responseMimeType: 'application/json' };
  if (format.type === 'json_schema') {
    const schema = format.json_schema?.schema;
    if (schema === undefined) return { responseMimeType: 'application/json' };
    // `responseJsonSchema` takes JSON Schema as is (`responseSchema` wants Google's OpenAPI subset).
    return { responseMimeType: 'application/json', responseJsonSchema: toGeminiSchema(schema, 'response_format.json_schema.schema') };
  }
  throw new InvalidRequestError(
    `response_format.type "${String((format as { type?: unknown }).type)}" is not supported; use text, json_object or json_schema.`,
    'response_format.type',
  );
}

function isNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}
