import type { ChatCompletion, ChatCompletionChunk } from '../contracts/openai.ts';
import { ChunkBuilder } from '../openai/chunk-builder.ts';

/**
 * A stored whole answer as the chunks of a proper stream: per choice a role chunk, the content, the tool
 * calls (each whole, with its index), a finish chunk; then a usage chunk (the writer drops it unless the
 * caller asked for usage).
 */
export function* replayChunks(completion: ChatCompletion): Generator<ChatCompletionChunk> {
  const chunks = new ChunkBuilder(completion);
  for (const choice of completion.choices) {
    const { index, message } = choice;
    yield chunks.delta(index, { content: '' });
    if (message.reasoning_content) yield chunks.delta(index, { reasoning_content: message.reasoning_content });
    if (typeof message.content === 'string' && message.content !== '') yield chunks.delta(index, { content: message.content });
    if (message.tool_calls && message.tool_calls.length > 0) {
      yield chunks.delta(index, {
        tool_calls: message.tool_calls.map((call, i) => ({ index: i, id: call.id, type: 'function' as const, function: { name: call.function.name, arguments: call.function.arguments } })),
      });
    }
    yield chunks.delta(index, {}, choice.finish_reason ?? 'stop');
  }
  if (completion.usage) yield chunks.usage(completion.usage);
}
