import type { Capability } from '../contracts/provider.ts';
import type { ChatCompletionRequest } from '../contracts/openai.ts';

/** The capabilities a chat request needs from a model, read off its fields. */
export function chatNeeds(request: ChatCompletionRequest): Capability[] {
  const needs: Capability[] = ['chat'];
  if (request.stream === true) needs.push('stream');
  if (request.tools !== undefined && request.tools.length > 0 && request.tool_choice !== 'none') needs.push('tools');
  const format = request.response_format?.type;
  if (format === 'json_object') needs.push('json');
  else if (format === 'json_schema') needs.push('jsonSchema');
  if (hasImage(request)) needs.push('vision');
  return needs;
}

function hasImage(request: ChatCompletionRequest): boolean {
  for (const message of request.messages) {
    if (!Array.isArray(message.content)) continue;
    for (const part of message.content) if (part.type === 'image_url') return true;
  }
  return false;
}

export const EMBEDDING_NEEDS: Capability[] = ['embeddings'];
