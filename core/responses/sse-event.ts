import type { ResponseStreamEvent } from '../contracts/responses.ts';

/**
 * One event as SSE text: an `event:` line with its type (clients such as Codex dispatch on it) and the
 * event as JSON on one `data:` line. JSON.stringify escapes newlines, so the data never spans lines.
 * A Responses stream has no `[DONE]`: its last event says how it ended.
 */
export function serializeEvent(event: ResponseStreamEvent): string {
  return `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}
