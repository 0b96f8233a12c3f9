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
  /** The event's first `data:` line, and the lines after it when there are several (rare: one JSON per line is the norm). */
  private data: string | undefined;
  private moreData: string[] | undefined;
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
      if (field === 'data') {
        if (this.data === undefined) this.data = value;
        else (this.moreData ??= []).push(value);
      }
      else if (field === 'event') this.event = value;
    }
    if (ended) this.flush(events);
    return events;
  }

  private flush(events: SseEvent[]): void {
    if (this.data !== undefined) {
      const data = this.moreData ? [this.data, ...this.moreData].join('\n') : this.data;
      events.push(this.event === undefined ? { data } : { event: this.event, data });
    }
    this.data = undefined;
    this.moreData = undefined;
    this.event = undefined;
  }
}
