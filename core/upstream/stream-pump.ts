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
 * Sends a stream request and reads its 2xx answer to the end marker, handing over each item as its event
 * arrives; a non-2xx answer throws its mapped error. A body that ends before the marker throws an
 * `UpstreamProtocolError`, so a cut answer never looks complete. After the marker the body's end is read
 * (the keep-alive connection goes back to the pool) or, when the upstream keeps it open, cut. A consumer
 * that stops early, or an event that throws, ends the body at once. Nothing is sent before the first read.
 *
 * The provider returns this iterator as its `chatStream` itself, so each chunk passes through one
 * promise reaction here: it is written out rather than an async generator, whose every `yield` would
 * await its value and resume a frame besides. It is marked abort-aware: every read it waits on fails
 * with the signal's reason once the signal aborts. Read it one item at a time (as `for await` does).
 */
export function pumpToEndMarker<Event, Item>(client: UpstreamClient, signal: AbortSignal, pump: StreamPump<Event, Item>): AsyncIterableIterator<Item> {
  return markAbortAware(new EndMarkerPump(client, signal, pump));
}

const DONE = Object.freeze({ done: true, value: undefined }) as IteratorReturnResult<undefined>;

class EndMarkerPump<Event, Item> implements AsyncIterableIterator<Item> {
  private state: 'new' | 'open' | 'over' = 'new';
  private response: UpstreamResponse | undefined;
  private parser: ReturnType<StreamPump<Event, Item>['parse']> | undefined;
  private body: AsyncIterator<Uint8Array> | undefined;
  /** Items of the events parsed so far, handed over one per read. */
  private readonly items: Item[] = [];
  private index = 0;
  private endSeen = false;
  /** What to throw once the items before it were handed over: an error event, or the body cut short. */
  private pendingError: unknown;

  constructor(
    private readonly client: UpstreamClient,
    private readonly signal: AbortSignal,
    private readonly pump: StreamPump<Event, Item>,
  ) {}

  [Symbol.asyncIterator](): AsyncIterableIterator<Item> {
    return this;
  }

  next(): Promise<IteratorResult<Item>> {
    if (this.index < this.items.length) return Promise.resolve({ done: false, value: this.take() });
    if (this.state === 'over') return Promise.resolve(DONE);
    if (this.pendingError !== undefined) return this.fail(this.pendingError);
    if (this.endSeen) return this.finishAfterEnd();
    if (this.state === 'new') return this.open();
    return this.body!.next().then(this.arrived, this.broke);
  }

  return(): Promise<IteratorResult<Item>> {
    this.close();
    return Promise.resolve(DONE);
  }

  private async open(): Promise<IteratorResult<Item>> {
    this.state = 'open';
    const { client, signal, pump } = this;
    let response: UpstreamResponse;
    try {
      response = await pump.send();
      if (!isSuccess(response)) throw await errorFromResponse(client, response, signal, pump);
    } catch (err) {
      this.state = 'over';
      throw err;
    }
    this.response = response;
    this.parser = pump.parse();
    this.body = (response.body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
    // The consumer stopped while the request was on its way.
    if (this.state !== 'open') {
      this.closeBody();
      return DONE;
    }
    return this.next();
  }

  private take(): Item {
    const item = this.items[this.index++]!;
    if (this.index === this.items.length) {
      this.items.length = 0;
      this.index = 0;
    }
    return item;
  }

  private readonly arrived = (next: IteratorResult<Uint8Array>): Promise<IteratorResult<Item>> => {
    if (this.state === 'over') return Promise.resolve(DONE);
    const { pump, parser } = this;
    try {
      for (const event of next.done ? parser!.end() : parser!.feed(next.value)) {
        for (const item of pump.items(event)) this.items.push(item);
        if (pump.isEnd(event)) {
          this.endSeen = true;
          break;
        }
      }
    } catch (err) {
      // The items before the failing event still go out first, as they arrived.
      this.pendingError = err;
    }
    if (next.done && !this.endSeen && this.pendingError === undefined) this.pendingError = new UpstreamProtocolError(pump.cutMessage);
    return this.next();
  };

  private readonly broke = (err: unknown): Promise<IteratorResult<Item>> => {
    // The connection failing; an aborted call is its abort reason. (The parser's own verdict, a line that
    // is not JSON, is thrown as it is, above.)
    return this.fail(this.client.transportError(err, this.signal, 'read'));
  };

  private async finishAfterEnd(): Promise<IteratorResult<Item>> {
    this.state = 'over';
    await finishAfterEndMarker(this.body!.next(), this.response!.body);
    this.closeBody();
    return DONE;
  }

  private fail(err: unknown): Promise<IteratorResult<Item>> {
    this.close();
    return Promise.reject(err);
  }

  private close(): void {
    this.state = 'over';
    this.items.length = 0;
    this.index = 0;
    this.closeBody();
  }

  private closeBody(): void {
    this.body?.return?.(undefined)?.catch(() => undefined);
  }
}
