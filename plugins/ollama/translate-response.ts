import {
  UpstreamProtocolError,
  type ChatCompletion,
  type ChunkFrame,
  type FinishReason,
  type ToolCall,
  type Usage,
  toolCallId,
} from '../../core/index.ts';
import type { OllamaChatResponse } from './ollama-types.ts';

/** The id, `created` and caller's model an answer carries (whole or as chunks), and the instance name for messages. */
export interface ResponseMeta extends ChunkFrame {
  provider: string;
}

/** Ollama `/api/chat` (stream:false) → OpenAI `chat.completion`. A body without a message is a protocol error. */
export function fromOllamaChat(body: unknown, meta: ResponseMeta, newId: () => string = toolCallId): ChatCompletion {
  const answer = body as OllamaChatResponse | null;
  const message = answer && typeof answer === 'object' ? answer.message : undefined;
  if (!message || typeof message !== 'object') {
    throw new UpstreamProtocolError(`${meta.provider}: /api/chat answered 200 without a message: ${JSON.stringify(body)?.slice(0, 120)}`);
  }
  const toolCalls = toOpenAiToolCalls(message.tool_calls, newId);
  const content = typeof message.content === 'string' ? message.content : '';
  const out: ChatCompletion['choices'][number]['message'] = {
    role: 'assistant',
    content: content === '' && toolCalls.length > 0 ? null : content,
  };
  if (toolCalls.length > 0) out.tool_calls = toolCalls;
  if (typeof message.thinking === 'string' && message.thinking !== '') out.reasoning_content = message.thinking;
  return {
    id: meta.id,
    object: 'chat.completion',
    created: meta.created,
    model: meta.model,
    choices: [{ index: 0, message: out, finish_reason: finishReason(answer!.done_reason, toolCalls.length > 0) }],
    usage: usageFrom(answer!) ?? { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
  };
}

/** Ollama says `stop` even when the model called tools; OpenAI callers expect `tool_calls` then. */
export function finishReason(doneReason: string | undefined, hasToolCalls: boolean): FinishReason {
  if (hasToolCalls) return 'tool_calls';
  if (doneReason === 'length') return 'length';
  return 'stop';
}

/** Ollama tool calls (object arguments, maybe no id) → OpenAI tool calls (JSON-string arguments, an id). */
export function toOpenAiToolCalls(calls: unknown, newId: () => string = toolCallId): ToolCall[] {
  if (!Array.isArray(calls)) return [];
  return calls
    .filter((call) => call && typeof call === 'object' && call.function && typeof call.function.name === 'string')
    .map((call) => ({
      id: typeof call.id === 'string' && call.id !== '' ? call.id : newId(),
      type: 'function' as const,
      function: { name: call.function.name, arguments: argumentsJson(call.function.arguments) },
    }));
}

export function argumentsJson(args: unknown): string {
  if (typeof args === 'string') return args;
  return JSON.stringify(args ?? {});
}

/** Usage from the final answer's counts; undefined when Ollama sent neither count. */
export function usageFrom(answer: OllamaChatResponse): Usage | undefined {
  const prompt = count(answer.prompt_eval_count);
  const completion = count(answer.eval_count);
  if (prompt === undefined && completion === undefined) return undefined;
  // Ollama leaves prompt_eval_count out when the whole prompt came from its cache.
  const p = prompt ?? 0;
  const c = completion ?? 0;
  return { prompt_tokens: p, completion_tokens: c, total_tokens: p + c };
}

function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}
