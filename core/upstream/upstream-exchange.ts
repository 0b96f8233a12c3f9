import type { IncomingHttpHeaders } from 'node:http';
import type { Dispatcher } from 'undici';

/** What an upstream answered: the status, the headers, and a body read once (as text, as chunks, or dropped). */
export interface UpstreamResponse {
  statusCode: number;
  headers: IncomingHttpHeaders;
  body: UpstreamBody;
}

/** An answer's body. Read it one way only: `text()`, the chunks (`for await`), or `dump()`. */
export interface UpstreamBody extends AsyncIterable<Buffer> {
  /** The whole body as UTF-8 text. */
  text(): Promise<string>;
  /** Reads the rest and drops it, so the keep-alive connection goes back to the pool (a large rest cuts it instead). */
  dump(): Promise<void>;
  /** Cuts the body now; the connection is closed, not reused. */
  destroy(): void;
}

/** Chunks held for a reader that does not keep up before the socket stops being read (backpressure). */
const HIGH_WATER_CHUNKS = 64;
/** What `dump()` reads to keep a connection rather than cut it (undici's own `dump` limit). */
const DUMP_LIMIT_BYTES = 128 * 1024;

type Settle<T> = { resolve(value: T): void; reject(reason: unknown): void };

/**
 * One request and its answer, as an undici dispatch handler: the answer's bytes are handed from the
 * parser's callbacks straight to the one reader, with one promise per read that has to wait and none
 * when a chunk is already there. undici's `request()` puts a Node `Readable`, an async-iterator adapter
 * and an `AsyncResource` between the socket and the reader; on a stream of thousands of small chunks
 * those were a large part of the gateway's own per-chunk CPU (README, Performance).
 *
 * The call's signal aborts the exchange at any point: before the answer it rejects `response`, after it
 * fails the body's pending and next read with the signal's reason.
 */
export class UpstreamExchange implements Dispatcher.DispatchHandler, UpstreamBody {
  /** Settles once the status and headers arrived (or the request failed before that). */
  readonly response: Promise<UpstreamResponse>;
  private answered: Settle<UpstreamResponse> | undefined;
  private controller: Dispatcher.DispatchController | undefined;
  private readonly chunks: Buffer[] = [];
  private ended = false;
  private failure: unknown;
  private reader: Settle<IteratorResult<Buffer>> | undefined;
  /** When set, the body is being collected (`text()`) or dropped (`dump()`) rather than read chunk by chunk. */
  private sink: ((chunk: Buffer | undefined, error?: unknown) => void) | undefined;

  constructor(private readonly signal: AbortSignal) {
    this.response = new Promise<UpstreamResponse>((resolve, reject) => {
      this.answered = { resolve, reject };
    });
    if (signal.aborted) this.onAbort();
    else signal.addEventListener('abort', this.onAbort, { once: true });
  }

  // --- the dispatch handler ---

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.signal.aborted) controller.abort(abortError(this.signal));
  }

  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number, headers: IncomingHttpHeaders): void {
    const answered = this.answered;
    this.answered = undefined;
    answered?.resolve({ statusCode, headers, body: this });
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.sink) return this.sink(chunk);
    const reader = this.reader;
    if (reader) {
      this.reader = undefined;
      reader.resolve({ value: chunk, done: false });
      return;
    }
    this.chunks.push(chunk);
    if (this.chunks.length >= HIGH_WATER_CHUNKS) controller.pause();
  }

  onResponseEnd(): void {
    this.ended = true;
    this.release();
    if (this.sink) return this.sink(undefined);
    const reader = this.reader;
    this.reader = undefined;
    reader?.resolve({ value: undefined, done: true });
  }

  onResponseError(_controller: Dispatcher.DispatchController | undefined, error: Error): void {
    const reason = this.signal.aborted ? (this.signal.reason ?? error) : error;
    this.failure = reason;
    this.release();
    const answered = this.answered;
    this.answered = undefined;
    if (answered) return answered.reject(reason);
    if (this.sink) return this.sink(undefined, reason);
    const reader = this.reader;
    this.reader = undefined;
    reader?.reject(reason);
  }

  // --- the body ---

  [Symbol.asyncIterator](): AsyncIterator<Buffer> {
    return this;
  }

  next(): Promise<IteratorResult<Buffer>> {
    if (this.chunks.length > 0) {
      const value = this.chunks.shift()!;
      if (this.chunks.length === 0 && this.controller?.paused) this.controller.resume();
      return Promise.resolve({ value, done: false });
    }
    if (this.failure !== undefined) return Promise.reject(this.failure);
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => {
      this.reader = { resolve, reject };
    });
  }

  /** The reader stopped early (a `break`, a thrown error): nothing more is wanted. */
  return(): Promise<IteratorResult<Buffer>> {
    if (!this.ended && this.failure === undefined) this.destroy();
    return Promise.resolve({ value: undefined, done: true });
  }

  text(): Promise<string> {
    return new Promise((resolve, reject) => {
      const parts = this.chunks.splice(0);
      if (this.failure !== undefined) return reject(this.failure);
      if (this.ended) return resolve(joinText(parts));
      this.sink = (chunk, error) => {
        if (chunk) parts.push(chunk);
        else if (error !== undefined) reject(error);
        else resolve(joinText(parts));
      };
      if (this.controller?.paused) this.controller.resume();
    });
  }

  dump(): Promise<void> {
    return new Promise((resolve) => {
      let bytes = 0;
      for (const chunk of this.chunks.splice(0)) bytes += chunk.length;
      if (this.ended || this.failure !== undefined) return resolve();
      if (bytes > DUMP_LIMIT_BYTES) {
        this.destroy();
        return resolve();
      }
      this.sink = (chunk) => {
        if (!chunk) return resolve();
        bytes += chunk.length;
        if (bytes > DUMP_LIMIT_BYTES) {
          this.destroy();
          resolve();
        }
      };
      if (this.controller?.paused) this.controller.resume();
    });
  }

  destroy(): void {
    if (this.ended || this.failure !== undefined) return;
    const error = new Error('the upstream body was cut by the gateway');
    error.name = 'AbortError';
    if (this.controller) this.controller.abort(error);
    else this.onResponseError(undefined, error);
  }

  private readonly onAbort = (): void => {
    if (this.controller) this.controller.abort(abortError(this.signal));
    else this.onResponseError(undefined, abortError(this.signal));
  };

  private release(): void {
    this.signal.removeEventListener('abort', this.onAbort);
  }
}

function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : Object.assign(new Error('This operation was aborted'), { name: 'AbortError' });
}

function joinText(parts: Buffer[]): string {
  if (parts.length === 0) return '';
  return (parts.length === 1 ? parts[0]! : Buffer.concat(parts)).toString('utf8');
}
