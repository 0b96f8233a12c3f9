import { randomBytes } from 'node:crypto';

/** An id in OpenAI's style (`chatcmpl-…`, `call_…`) for providers whose protocol has none. */
export function completionId(prefix = 'chatcmpl'): string {
  return `${prefix}-${randomBytes(12).toString('base64url')}`;
}

/** An OpenAI-style tool call id (`call_…`), for providers whose calls come without one. */
export function toolCallId(): string {
  return `call_${randomBytes(12).toString('base64url')}`;
}

export function unixSeconds(ms: number = Date.now()): number {
  return Math.floor(ms / 1000);
}
