import { UpstreamProtocolError } from '../errors/upstream-protocol-error.ts';
import { LineSplitter } from './line-splitter.ts';

/**
 * Newline-delimited JSON (Ollama's stream format), parsed as chunks are fed in: one value per non-empty
 * line; a line that is not JSON is the upstream breaking its protocol.
 */
export class NdjsonParser<T = unknown> {
  private readonly lines = new LineSplitter();

  constructor(private readonly provider: string) {}

  feed(chunk: Uint8Array | string): Iterable<T> {
    return this.parse(this.lines.feed(chunk));
  }

  end(): Iterable<T> {
    return this.parse(this.lines.end());
  }

  /** Lazily, so that the values before a bad line of the same chunk still go out before its error. */
  private *parse(lines: string[]): Generator<T> {
    for (const line of lines) {
      if (line.trim() === '') continue;
      let value: T;
      try {
        value = JSON.parse(line) as T;
      } catch (err) {
        throw new UpstreamProtocolError(`${this.provider}: the stream sent a line that is not JSON: ${line.slice(0, 120)}`, err);
      }
      yield value;
    }
  }
}
