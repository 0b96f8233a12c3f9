import type { IncomingHttpHeaders } from 'node:http';
import type { ChunkSink } from './item-sink.ts';

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
  /** The whole body parsed as JSON (a `SyntaxError` when it is not). */
  json(): Promise<unknown>;
  /** Reads the rest and drops it, so the keep-alive connection goes back to the pool (a large rest cuts it instead). */
  dump(): Promise<void>;
  /** Cuts the body now; the connection is closed, not reused. */
  destroy(): void;
}

/** How a body queue steers the connection it is fed from. */
export interface BodySource {
  /** Stop reading the socket (the reader is behind). */
  pause(): void;
  resume(): void;
  /** Close the connection: nothing more of this body is wanted. */
  cut(error: Error): void;
}

/** Chunks held for a reader that does not keep up before the socket stops being read (backpressure). */
const HIGH_WATER_CHUNKS = 64;
/** What `dump()` reads to keep a connection rather than cut it (undici's own `dump` limit). */
const DUMP_LIMIT_BYTES = 128 * 1024;

/** The two ends of a promise, kept to settle it later. */
export type Settle<T> = { resolve(value: T): void; reject(reason: unknown): void };

/**
 * An answer's body as the transport hands it over: chunks are passed from the socket's callbacks
 * straight to the one reader, with one promise per read that has to wait and none when a chunk is
 * already there. Between the socket and a stream's parser there is no `Readable`, no async-iterator
 * adapter and no per-request `AsyncResource`; on thousands of small chunks a second those were a large
 * part of the gateway's own CPU per chunk (README, Performance).
 */
export class BodyQueue implements UpstreamBody {
  private readonly chunks: Buffer[] = [];
  private ended = false;
  private failure: unknown;
  private paused = false;
  private reader: Settle<IteratorResult<Buffer>> | undefined;
  /** When set, every chunk goes straight to it (`pipe`, and so `text()` and `dump()`). */
  private piped: ChunkSink | undefined;

  constructor(private readonly source: BodySource) {}

  get finished(): boolean {
    return this.ended || this.failure !== undefined;
  }

  // --- fed by the transport ---

  push(chunk: Buffer): void {
    if (this.piped) return this.piped.chunk(chunk);
    const reader = this.reader;
    if (reader) {
      this.reader = undefined;
      reader.resolve({ value: chunk, done: false });
      return;
    }
    this.chunks.push(chunk);
    if (this.chunks.length >= HIGH_WATER_CHUNKS) this.hold();
  }

  end(): void {
    if (this.finished) return;
    this.ended = true;
    if (this.piped) return this.piped.end();
    const reader = this.reader;
    this.reader = undefined;
    reader?.resolve({ value: undefined, done: true });
  }

  fail(reason: unknown): void {
    if (this.finished) return;
    this.failure = reason;
    if (this.piped) return this.piped.fail(reason);
    const reader = this.reader;
    this.reader = undefined;
    reader?.reject(reason);
  }

  // --- read by the provider ---

  [Symbol.asyncIterator](): AsyncIterator<Buffer> {
    return this;
  }

  next(): Promise<IteratorResult<Buffer>> {
    if (this.chunks.length > 0) {
      const value = this.chunks.shift()!;
      if (this.chunks.length === 0) this.release();
      return Promise.resolve({ value, done: false });
    }
    if (this.failure !== undefined) return Promise.reject(this.failure);
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => {
      this.reader = { resolve, reject };
    });
  }

  /**
   * From now on every chunk goes to `sink` the moment it arrives (those already queued first), then its
   * end or failure: no promise per chunk. Call it with no read pending. `hold()` and `release()` are the
   * sink's backpressure: they stop and restart reading the socket (a chunk already on its way may still
   * arrive while held).
   */
  pipe(sink: ChunkSink): void {
    this.piped = sink;
    for (const chunk of this.chunks.splice(0)) sink.chunk(chunk);
    if (this.failure !== undefined) sink.fail(this.failure);
    else if (this.ended) sink.end();
    else this.release();
  }

  hold(): void {
    if (this.paused) return;
    this.paused = true;
    this.source.pause();
  }

  release(): void {
    if (!this.paused) return;
    this.paused = false;
    this.source.resume();
  }

  /** The reader stopped early (a `break`, a thrown error): nothing more is wanted. */
  return(): Promise<IteratorResult<Buffer>> {
    this.destroy();
    return Promise.resolve({ value: undefined, done: true });
  }

  text(): Promise<string> {
    return new Promise((resolve, reject) => {
      const parts: Buffer[] = [];
      this.pipe({ chunk: (chunk) => parts.push(chunk), end: () => resolve(joinText(parts)), fail: reject });
    });
  }

  json(): Promise<unknown> {
    return this.text().then((text) => JSON.parse(text) as unknown);
  }

  dump(): Promise<void> {
    return new Promise((resolve) => {
      let bytes = 0;
      this.pipe({
        chunk: (chunk) => {
          bytes += chunk.length;
          if (bytes > DUMP_LIMIT_BYTES) this.destroy();
        },
        end: resolve,
        fail: () => resolve(),
      });
    });
  }

  destroy(): void {
    if (this.finished) return;
    const error = Object.assign(new Error('the upstream body was cut by the gateway'), { name: 'AbortError' });
    this.fail(error);
    this.source.cut(error);
  }
}

function joinText(parts: Buffer[]): string {
  if (parts.length === 0) return '';
  return (parts.length === 1 ? parts[0]! : Buffer.concat(parts)).toString('utf8');
}
