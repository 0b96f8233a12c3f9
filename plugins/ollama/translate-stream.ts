import {
  ChunkBuilder,
  UpstreamHttpError,
  UpstreamProtocolError,
  type ChatCompletionChunk,
  type ChatCompletionChunkChoice,
  type ToolCallDelta,
  toolCallId,
} from '../../core/index.ts';
import type { OllamaChatResponse } from './ollama-types.ts';
import { argumentsJson, finishReason, usageFrom, type ResponseMeta } from './translate-response.ts';

/**
 * Ollama NDJSON lines → OpenAI chunks, one line at a time. It keeps what a stream needs across lines:
 * the chunks' shared frame (and whether the role was sent), the next tool call index, whether any tool
 * was called, and whether the `done: true` line has arrived (a stream that ends without it was cut off).
 */
export class OllamaStreamTranslator {
  done = false;
  private readonly chunks: ChunkBuilder;
  private nextToolIndex = 0;
  private sawToolCalls = false;

  constructor(
    private readonly meta: ResponseMeta,
    private readonly newId: () => string = toolCallId,
  ) {
    this.chunks = new ChunkBuilder(meta);
  }

  /** The chunks one parsed line becomes (none for an empty keep-alive line); throws on an error line. */
  push(line: unknown): ChatCompletionChunk[] {
    if (this.done) return [];
    if (!line || typeof line !== 'object' || Array.isArray(line)) {
      throw new UpstreamProtocolError(`${this.meta.provider}: the stream sent a line that is not an object: ${JSON.stringify(line)?.slice(0, 120)}`);
    }
    const answer = line as OllamaChatResponse;
    if (answer.error !== undefined && answer.error !== null) {
      const message = typeof answer.error === 'string' ? answer.error : JSON.stringify(answer.error);
      // The model broke down after the 200 (out of memory, runner crash): a server fault, worth a retry elsewhere.
      throw new UpstreamHttpError(`${this.meta.provider}: ${message}`, 500);
    }
    const delta = this.delta(answer);
    if (answer.done !== true) return delta ? [this.chunks.delta(0, delta)] : [];

    this.done = true;
    const chunks = [this.chunks.delta(0, delta ?? {}, finishReason(answer.done_reason, this.sawToolCalls))];
    const usage = usageFrom(answer);
    if (usage) chunks.push(this.chunks.usage(usage));
    return chunks;
  }

  private delta(answer: OllamaChatResponse): ChatCompletionChunkChoice['delta'] | undefined {
    const message = answer.message && typeof answer.message === 'object' ? answer.message : {};
    const delta: ChatCompletionChunkChoice['delta'] = {};
    if (typeof message.content === 'string' && message.content !== '') delta.content = message.content;
    if (typeof message.thinking === 'string' && message.thinking !== '') delta.reasoning_content = message.thinking;
    const toolCalls = this.toolCallDeltas(message.tool_calls);
    if (toolCalls.length > 0) delta.tool_calls = toolCalls;
    return Object.keys(delta).length > 0 ? delta : undefined;
  }

  /** Ollama sends each tool call whole, so one delta carries its id, name and all of its arguments. */
  private toolCallDeltas(calls: unknown): ToolCallDelta[] {
    if (!Array.isArray(calls)) return [];
    const out: ToolCallDelta[] = [];
    for (const call of calls) {
      if (!call || typeof call !== 'object' || typeof call.function?.name !== 'string') continue;
      this.sawToolCalls = true;
      out.push({
        index: this.nextToolIndex++,
        id: typeof call.id === 'string' && call.id !== '' ? call.id : this.newId(),
        type: 'function',
        function: { name: call.function.name, arguments: argumentsJson(call.function.arguments) },
      });
    }
    return out;
  }
}
