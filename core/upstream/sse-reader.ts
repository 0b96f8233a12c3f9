import { readLines } from './line-reader.ts';

export interface SseEvent {
  /** The `event:` field, when the server sent one. */
  event?: string;
  /** The `data:` lines joined with newlines. */
  data: string;
}

/**
 * Reads Server-Sent Events (the WHATWG event-stream format): `data:` lines joined per event, events ended
 * by a blank line, comment lines (`: keep-alive`, OpenRouter's `: OPENROUTER PROCESSING`) dropped so they
 * never reach a caller as data, `id:`/`retry:` ignored.
 */
export async function* readSseEvents(body: AsyncIterable<Uint8Array | string>): AsyncGenerator<SseEvent> {
  let data: string[] = [];
  let event: string | undefined;
  for await (const line of readLines(body)) {
    if (line === '') {
      if (data.length > 0) yield event === undefined ? { data: data.join('\n') } : { event, data: data.join('\n') };
      data = [];
      event = undefined;
      continue;
    }
    if (line.charCodeAt(0) === 58 /* ':' */) continue;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    if (field === 'data') data.push(value);
    else if (field === 'event') event = value;
  }
  // A stream cut without its final blank line still delivers what it completed.
  if (data.length > 0) yield event === undefined ? { data: data.join('\n') } : { event, data: data.join('\n') };
}
