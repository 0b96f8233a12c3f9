import { LineSplitter } from './line-splitter.ts';

export interface SseEvent {
  /** The `event:` field, when the server sent one. */
  event?: string;
  /** The `data:` lines joined with newlines. */
  data: string;
}

/**
 * Server-Sent Events (the WHATWG event-stream format), parsed as chunks are fed in: `data:` lines joined
 * per event, events ended by a blank line, comment lines (`: keep-alive`, OpenRouter's `: OPENROUTER
 * PROCESSING`) dropped so they never reach a caller as data, `id:` and `retry:` ignored. Synchronous, so
 * a stream pump reads its body with one async iteration and no generator per layer.
 */
export class SseParser {
  private readonly lines = new LineSplitter();
  private data: string[] = [];
  private event: string | undefined;

  feed(chunk: Uint8Array | string): SseEvent[] {
    return this.parse(this.lines.feed(chunk), false);
  }

  /** The stream ended: an event cut without its final blank line still counts for what it completed. */
  end(): SseEvent[] {
    return this.parse(this.lines.end(), true);
  }

  private parse(lines: string[], ended: boolean): SseEvent[] {
    const events: SseEvent[] = [];
    for (const line of lines) {
      if (line === '') {
        this.flush(events);
        continue;
      }
      if (line.charCodeAt(0) === 58 /* ':' */) continue;
      const colon = line.indexOf(':');
      const field = colon === -1 ? line : line.slice(0, colon);
      let value = colon === -1 ? '' : line.slice(colon + 1);
      if (value.charCodeAt(0) === 32) value = value.slice(1);
      if (field === 'data') this.data.push(value);
      else if (field === 'event') this.event = value;
    }
    if (ended) this.flush(events);
    return events;
  }

  private flush(events: SseEvent[]): void {
    if (this.data.length > 0) events.push(this.event === undefined ? { data: this.data.join('\n') } : { event: this.event, data: this.data.join('\n') });
    this.data = [];
    this.event = undefined;
  }
}
