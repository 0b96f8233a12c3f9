import { UpstreamProtocolError } from '../errors/upstream-protocol-error.ts';
import { readLines } from './line-reader.ts';

/** Reads newline-delimited JSON (Ollama's stream format), one parsed object per non-empty line. */
export async function* readNdjson<T = unknown>(body: AsyncIterable<Uint8Array | string>, provider: string): AsyncGenerator<T> {
  for await (const line of readLines(body)) {
    if (line.trim() === '') continue;
    let value: T;
    try {
      value = JSON.parse(line) as T;
    } catch (err) {
      throw new UpstreamProtocolError(`${provider}: the stream sent a line that is not JSON: ${line.slice(0, 120)}`, err);
    }
    yield value;
  }
}
