/**
 * The reasoning a provider returned beside the answer, in a message or a stream delta: `reasoning_content`
 * (DeepSeek, the Ollama plugin), or `reasoning` as OpenRouter and newer vLLM name it.
 */
export function reasoningText(message: { reasoning_content?: unknown; reasoning?: unknown }): string {
  if (typeof message.reasoning_content === 'string') return message.reasoning_content;
  if (typeof message.reasoning === 'string') return message.reasoning;
  return '';
}
