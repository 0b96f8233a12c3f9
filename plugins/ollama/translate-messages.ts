import { InvalidRequestError, parseDataUrl, type ChatMessage, type ContentPart, type ToolCall } from '../../core/index.ts';
import type { OllamaMessage, OllamaToolCall } from './ollama-types.ts';

/**
 * OpenAI messages → Ollama messages. Ollama has no content parts: text parts are joined with newlines and
 * images travel beside the text as bare base64. Tool results name their tool (`tool_name`) instead of
 * pointing at a call id, so the name is looked up among the earlier assistant tool calls.
 */
export function toOllamaMessages(messages: readonly ChatMessage[]): OllamaMessage[] {
  const toolNames = new Map<string, string>();
  return messages.map((message, i) => {
    const path = `messages[${i}]`;
    const { text, images } = readContent(message.content, `${path}.content`);
    const withImages = <M extends OllamaMessage>(m: M): M => (images.length > 0 ? { ...m, images } : m);
    switch (message.role) {
      case 'system':
      case 'developer':
        return withImages({ role: 'system', content: text });
      case 'user':
        return withImages({ role: 'user', content: text });
      case 'assistant': {
        const out: OllamaMessage = withImages({ role: 'assistant', content: text });
        if (typeof message.reasoning_content === 'string' && message.reasoning_content !== '') out.thinking = message.reasoning_content;
        if (Array.isArray(message.tool_calls) && message.tool_calls.length > 0) {
          out.tool_calls = message.tool_calls.map((call, k) => {
            if (typeof call.id === 'string') toolNames.set(call.id, call.function?.name);
            return toOllamaToolCall(call, `${path}.tool_calls[${k}]`);
          });
        }
        return out;
      }
      case 'tool':
      case 'function': {
        const name = (message.tool_call_id !== undefined ? toolNames.get(message.tool_call_id) : undefined) ?? message.name;
        const out: OllamaMessage = { role: 'tool', content: text };
        if (typeof name === 'string' && name !== '') out.tool_name = name;
        return out;
      }
      default:
        throw new InvalidRequestError(`Unknown message role "${String(message.role)}".`, `${path}.role`);
    }
  });
}

/** The text of a content (parts joined with newlines) and its images as base64. */
export function readContent(content: ChatMessage['content'], path: string): { text: string; images: string[] } {
  if (content === null || content === undefined) return { text: '', images: [] };
  if (typeof content === 'string') return { text: content, images: [] };
  if (!Array.isArray(content)) throw new InvalidRequestError('Message content must be a string or an array of parts.', path);
  const texts: string[] = [];
  const images: string[] = [];
  content.forEach((part: ContentPart, j) => {
    if (part?.type === 'text' && typeof part.text === 'string') texts.push(part.text);
    else if (part?.type === 'image_url') images.push(imageBase64(part, `${path}[${j}].image_url.url`));
    else {
      throw new InvalidRequestError(
        `Content part type "${String(part?.type)}" is not supported by this provider; send text and image_url parts.`,
        `${path}[${j}].type`,
      );
    }
  });
  return { text: texts.join('\n'), images };
}

function imageBase64(part: ContentPart, path: string): string {
  const url = (part as { image_url?: { url?: unknown } }).image_url?.url;
  if (typeof url !== 'string') throw new InvalidRequestError('image_url.url must be a string.', path);
  const data = parseDataUrl(url);
  if (!data) {
    throw new InvalidRequestError(
      'This provider (Ollama) takes images only as data: URLs (data:image/png;base64,…); download the image and send it inline.',
      path,
    );
  }
  return data.base64;
}

/** OpenAI sends arguments as a JSON string; Ollama wants the object itself. */
export function toOllamaToolCall(call: ToolCall, path: string): OllamaToolCall {
  const raw = call.function?.arguments;
  return { function: { name: call.function?.name, arguments: parseArguments(raw, `${path}.function.arguments`) } };
}

export function parseArguments(raw: unknown, path: string): Record<string, unknown> {
  if (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '')) return {};
  if (typeof raw === 'object' && !Array.isArray(raw)) return raw as Record<string, unknown>;
  let parsed: unknown;
  try {
    parsed = typeof raw === 'string' ? JSON.parse(raw) : raw;
  } catch {
    parsed = undefined;
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new InvalidRequestError('Tool call arguments must be a JSON object serialized as a string.', path);
  }
  return parsed as Record<string, unknown>;
}
