import { UpstreamProtocolError } from '../errors/upstream-protocol-error.ts';
import { markAbortAware } from './abort-aware.ts';
import { finishAfterEndMarker } from './finish-body.ts';
import type { UpstreamClient, UpstreamResponse } from './http-client.ts';
import { errorFromResponse, isSuccess, type ReplyOptions } from './upstream-reply.ts';

/** What a provider's stream protocol says: how the request is sent, how the body is parsed, what an event becomes, where it ends. */
export interface StreamPump<Event, Item> extends ReplyOptions {
  /** Sends the upstream request (with the call's signal); a non-2xx answer becomes its mapped error (`statusError`). */
  send(): Promise<UpstreamResponse>;
  /** A fresh parser for the body's bytes (`new SseParser()`, `new NdjsonParser(provider)`): synchronous, fed chunk by chunk. */
  parse(): { feed(chunk: Uint8Array | string): Iterable<Event>; end(): Iterable<Event> };
  /** The items one event becomes (none for a keep-alive); an error event throws its mapped error. */
  items(event: Event): Iterable<Item>;
  /** Whether this event, whose items were just yielded, is the protocol's end marker. */
  isEnd(event: Event): boolean;
  /** The message of the protocol error thrown when the body ends before the end marker. */
  cutMessage: string;
}

/**
 * Sends a stream request and reads its 2xx answer to the end marker, yielding each item as its event
 * arrives; a non-2xx answer throws its mapped error. A body that ends before the marker throws an
 * `UpstreamProtocolError`, so a cut answer never looks complete. After the marker the body's end is read
 * (the keep-alive connection goes back to the pool) or, when the upstream keeps it open, cut. A consumer
 * that stops early, or an event that throws, ends the body at once.
 *
 * The provider returns this generator as its `chatStream` itself (rather than `yield*` it from a
 * generator of its own), so each chunk passes through one async generator, not two. It is marked
 * abort-aware: every read it waits on fails with the signal's reason once the signal aborts.
 */
export function pumpToEndMarker<Event, Item>(client: UpstreamClient, signal: AbortSignal, pump: StreamPump<Event, Item>): AsyncGenerator<Item> {
  return markAbortAware(pumpEvents(client, signal, pump));
}

async function* pumpEvents<Event, Item>(client: UpstreamClient, signal: AbortSignal, pump: StreamPump<Event, Item>): AsyncGenerator<Item> {
  const response = await pump.send();
  if (!isSuccess(response)) throw await errorFromResponse(client, response, signal, pump);
  // One async iteration (the body's) and a synchronous parser: every async generator between the socket
  // and the caller costs a promise and an iterator result per chunk.
  const parser = pump.parse();
  const body = (response.body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
  try {
    for (;;) {
      let next: IteratorResult<Uint8Array>;
      try {
        next = await body.next();
      } catch (err) {
        // The connection failing; an aborted call is its abort reason. (The parser's own verdict, a line
        // that is not JSON, is thrown below, as it is.)
        throw client.transportError(err, signal, 'read');
      }
      for (const event of next.done ? parser.end() : parser.feed(next.value)) {
        for (const item of pump.items(event)) yield item;
        if (pump.isEnd(event)) {
          await finishAfterEndMarker(body.next(), response.body);
          return;
        }
      }
      if (next.done) break;
    }
  } finally {
    await body.return?.(undefined)?.catch(() => undefined);
  }
  throw new UpstreamProtocolError(pump.cutMessage);
}
