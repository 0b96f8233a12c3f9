/**
 * Push delivery for the common stream: once a stream is committed, each item can be handed to a sink from
 * the upstream parser's own callback, in the same turn as its bytes arrived, instead of through one
 * promise per chunk per layer (pump, committed stream, writer). Only the core's own iterators offer it;
 * anything else is read the usual way.
 */
export interface ItemSink<Item> {
  /** One item. `false` asks for no more until `resume()` of the handle `pipe` returned (backpressure). */
  item(item: Item): boolean;
  /** The stream ended cleanly. */
  end(): void;
  /** The stream failed; nothing follows. */
  fail(error: unknown): void;
}

export interface PipeHandle {
  resume(): void;
}

export interface Pipeable<Item> {
  /** Whether `pipe` may be called now: the stream is open and no read is waiting. */
  canPipe(): boolean;
  /** From now on every item goes to `sink`, exactly one of `end` or `fail` last. */
  pipe(sink: ItemSink<Item>): PipeHandle;
}

export function isPipeable<Item>(iterator: object): iterator is Pipeable<Item> {
  return typeof (iterator as Partial<Pipeable<Item>>).pipe === 'function' && typeof (iterator as Partial<Pipeable<Item>>).canPipe === 'function';
}

/** What a byte body hands a pipe: each chunk, then its end or its failure. */
export interface ChunkSink {
  chunk(chunk: Buffer): void;
  end(): void;
  fail(reason: unknown): void;
}
