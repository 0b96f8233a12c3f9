import { randomBytes } from 'node:crypto';

/** An OpenAI-style tool call id (`call_…`); Ollama's older versions give tool calls none. */
export function toolCallId(): string {
  return `call_${randomBytes(12).toString('hex')}`;
}
