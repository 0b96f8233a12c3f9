import type { ContentPart } from '../contracts/openai.ts';
import type { InputContentPart, OutputMessage } from '../contracts/responses.ts';

type Part = InputContentPart | OutputMessage['content'][number];

/**
 * A Responses message's content as chat content. Text of any kind (`input_text`, `output_text`, a replayed
 * `refusal`) is text. A single text, and any non-user message, becomes a plain string: that is the form
 * every OpenAI-compatible server takes for system and assistant turns. A user message with several parts
 * or an image keeps its parts. Validation has already refused files and images outside user messages.
 */
export function chatContent(content: string | Part[], role: string): string | ContentPart[] {
  if (typeof content === 'string') return content;
  const parts = content.map(toChatPart).filter((part): part is ContentPart => part !== undefined);
  const textOnly = parts.every((part) => part.type === 'text');
  if (textOnly && (parts.length === 1 || role !== 'user')) return parts.map((part) => (part as { text: string }).text).join('\n');
  return parts;
}

/** The text of a function call's output: chat tool messages carry a string. */
export function outputText(output: string | InputContentPart[]): string {
  if (typeof output === 'string') return output;
  return output.map((part) => partText(part) ?? '').join('\n');
}

function toChatPart(part: Part): ContentPart | undefined {
  const text = partText(part);
  if (text !== undefined) return { type: 'text', text };
  if (part.type === 'input_image' && typeof part.image_url === 'string') {
    // Chat knows no "original" detail; "high" is the nearest (the image is not scaled down).
    const detail = part.detail === 'original' ? 'high' : part.detail;
    return { type: 'image_url', image_url: detail ? { url: part.image_url, detail } : { url: part.image_url } };
  }
  return undefined;
}

function partText(part: Part): string | undefined {
  if (part.type === 'input_text' || part.type === 'output_text') return part.text;
  if (part.type === 'refusal') return part.refusal;
  return undefined;
}
