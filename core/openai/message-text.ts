import type { ChatMessage } from '../contracts/openai.ts';

/** The text of a message: a string content as is, the text parts of an array joined with newlines. */
export function messageText(content: ChatMessage['content']): string {
  if (content === null || content === undefined) return '';
  if (typeof content === 'string') return content;
  let text = '';
  for (const part of content) {
    if (part.type === 'text' && typeof (part as { text?: unknown }).text === 'string') {
      text = text === '' ? (part as { text: string }).text : `${text}\n${(part as { text: string }).text}`;
    }
  }
  return text;
}
