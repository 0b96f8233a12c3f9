import type { ResponseObject, ResponseStreamEvent } from '../contracts/responses.ts';
import { responseJson } from './response-json.ts';

/**
 * One event as SSE text: an `event:` line with its type (clients such as Codex dispatch on it) and the
 * event as JSON on one `data:` line. JSON.stringify escapes newlines, so the data never spans lines.
 * A Responses stream has no `[DONE]`: its last event says how it ended.
 */
export function serializeEvent(event: ResponseStreamEvent): string {
  return `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

/**
 * Serializes a stream's events as `serializeEvent` does, writing each response an event carries once:
 * `response.created` and `response.in_progress` carry the same one, and the text of the last response
 * (the one the stream ended with) is kept for the response store.
 */
export class EventSerializer {
  /** The last response an event carried, and its JSON. */
  response: ResponseObject | undefined;
  responseText = '';

  /** The events as one piece of SSE text. */
  text(events: readonly ResponseStreamEvent[]): string {
    let text = '';
    for (const event of events) text += this.event(event);
    return text;
  }

  event(event: ResponseStreamEvent): string {
    if (!('response' in event)) return serializeEvent(event);
    if (event.response !== this.response) {
      this.response = event.response;
      this.responseText = responseJson(event.response);
    }
    // The field order of the translator's events (type, sequence_number, response), as JSON.stringify writes it.
    return `event: ${event.type}\ndata: {"type":${JSON.stringify(event.type)},"sequence_number":${JSON.stringify(event.sequence_number)},"response":${this.responseText}}\n\n`;
  }
}
