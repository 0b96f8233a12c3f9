/**
 * Splits a byte stream into text lines (LF or CRLF) as its chunks are fed in, synchronously: each line
 * comes out the moment its newline arrives, and a last line without a newline comes out at the end. A
 * multi-byte character split across two chunks is decoded whole.
 */
export class LineSplitter {
  private readonly decoder = new TextDecoder('utf-8');
  private pending = '';

  feed(chunk: Uint8Array | string): string[] {
    this.pending += typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true });
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

  /** What is left once the stream ended: a last line without its newline, if any. */
  end(): string[] {
    const rest = this.pending + this.decoder.decode();
    this.pending = '';
    if (rest.length === 0) return [];
    return [rest.endsWith('\r') ? rest.slice(0, -1) : rest];
  }
}
