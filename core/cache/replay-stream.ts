import type { ChatCompletion, ChatCompletionChunk } from '../contracts/openai.ts';

/**
 * A stored whole answer as the chunks of a proper stream: per choice a role chunk, the content, the tool
 * calls (each whole, with its index), a finish chunk; then a usage chunk (the writer drops it unless the
 * caller asked for usage).
 */
export function* replayChunks(completion: ChatCompletion): Generator<ChatCompletionChunk> {
  const frame = (choices: ChatCompletionChunk['choices']): ChatCompletionChunk => ({
    id: completion.id,
    object: 'chat.completion.chunk',
    created: completion.created,
    model: completion.model,
    choices,
  });
  for (const choice of completion.choices) {
    const { index, message } = choice;
    yield frame([{ index, delta: { role: 'assistant', content: '' }, finish_reason: null }]);
    if (message.reasoning_content) yield frame([{ index, delta: { reasoning_content: message.reasoning_content }, finish_reason: null }]);
    if (typeof message.content === 'string' && message.content !== '') yield frame([{ index, delta: { content: message.content }, finish_reason: null }]);
    if (message.tool_calls && message.tool_calls.length > 0) {
      yield frame([
        {
          index,
          delta: { tool_calls: message.tool_calls.map((call, i) => ({ index: i, id: call.id, type: 'function' as const, function: { name: call.function.name, arguments: call.function.arguments } })) },
          finish_reason: null,
        },
      ]);
    }
    yield frame([{ index, delta: {}, finish_reason: choice.finish_reason ?? 'stop' }]);
  }
  if (completion.usage) yield { ...frame([]), usage: completion.usage };
}
