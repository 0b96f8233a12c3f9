import { UpstreamProtocolError } from '../errors/upstream-protocol-error.ts';
import { markAbortAware } from './abort-aware.ts';
import { BodyQueue } from './body-queue.ts';
import { finishAfterEndMarker } from './finish-body.ts';
import { DONE } from './iteration-done.ts';
import type { ItemSink, Pipeable, PipeHandle } from './item-sink.ts';
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

class EndMarkerPump<Event, Item> implements AsyncIterableIterator<Item>, Pipeable<Item> {
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
  /** Push delivery (`pipe`): where items go, and whether it asked to wait. */
  private sink: ItemSink<Item> | undefined;
  private held = false;
  private reading = false;
  /** Set while a piped stream waits for the body's end after its marker. */
  private endWait: (() => void) | undefined;
  /** The body being pushed from (`pipe`): the upstream client's own queue, which `canPipe` checked. */
  private piped: BodyQueue | undefined;

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
    this.reading = true;
    return this.body!.next().then(this.arrived, this.broke);
  }

  canPipe(): boolean {
    return this.state === 'open' && !this.reading && this.sink === undefined && this.response?.body instanceof BodyQueue;
  }

  /**
   * Push delivery: every item from now on goes to `sink` from the body's own callback — parsed, mapped
   * and handed over in the turn its bytes arrived. The same rules as reading: the items before a failing
   * event go first, a body cut before the marker fails, the body's end after the marker is awaited (or
   * the body cut after the grace).
   */
  pipe(sink: ItemSink<Item>): PipeHandle {
    this.sink = sink;
    const body = (this.piped = this.response!.body as BodyQueue);
    this.deliver();
    if (this.state === 'open') body.pipe({ chunk: this.pipedChunk, end: () => this.pipedChunk(undefined), fail: this.pipedFail });
    return {
      resume: () => {
        if (!this.held) return;
        this.held = false;
        body.release();
        this.deliver();
      },
    };
  }

  /** Hands the queued items to the sink while it takes them, then what comes after them. */
  private deliver(): void {
    const sink = this.sink!;
    while (this.index < this.items.length) {
      if (this.state === 'over' || this.held) return;
      if (!sink.item(this.take())) {
        this.held = true;
        this.piped!.hold();
        return;
      }
    }
    if (this.state === 'over' || this.held) return;
    if (this.pendingError !== undefined) {
      const error = this.pendingError;
      this.close();
      sink.fail(error);
      return;
    }
    if (this.endSeen) this.awaitEnd(sink);
  }

  private awaitEnd(sink: ItemSink<Item>): void {
    this.state = 'over';
    const body = this.piped!;
    const ended = body.finished ? Promise.resolve() : new Promise<void>((resolve) => (this.endWait = resolve));
    void finishAfterEndMarker(ended, body).then(() => {
      this.endWait = undefined;
      this.closeBody();
      sink.end();
    });
  }

  private readonly pipedChunk = (chunk: Buffer | undefined): void => {
    if (this.state === 'over') {
      if (chunk === undefined) this.endWait?.();
      return;
    }
    this.collect(chunk === undefined ? { done: true, value: undefined } : { done: false, value: chunk });
    if (!this.held) this.deliver();
  };

  private readonly pipedFail = (err: unknown): void => {
    if (this.state === 'over') {
      this.endWait?.();
      return;
    }
    if (this.signal.aborted) {
      // An abort ends the stream now, even while the sink holds items back.
      this.close();
      this.sink!.fail(this.signal.reason);
      return;
    }
    if (this.pendingError === undefined) this.pendingError = this.client.transportError(err, this.signal, 'read');
    if (!this.held) this.deliver();
  };

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
    this.reading = false;
    if (this.state === 'over') return Promise.resolve(DONE);
    this.collect(next);
    return this.next();
  };

  /** Parses one read (or the body's end) into items, noting the end marker and what to throw after them. */
  private collect(next: IteratorResult<Uint8Array>): void {
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
  }

  private readonly broke = (err: unknown): Promise<IteratorResult<Item>> => {
    this.reading = false;
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
