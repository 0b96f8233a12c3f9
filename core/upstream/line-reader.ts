/**
 * Splits a byte stream into text lines as they arrive (LF or CRLF), without waiting for the end of the
 * body: each line is yielded the moment its newline is read. A last line without a newline is yielded too.
 */
export async function* readLines(body: AsyncIterable<Uint8Array | string>): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  let pending = '';
  for await (const chunk of body) {
    pending += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    let start = 0;
    let newline = pending.indexOf('\n', start);
    while (newline !== -1) {
      const end = newline > start && pending.charCodeAt(newline - 1) === 13 ? newline - 1 : newline;
      yield pending.slice(start, end);
      start = newline + 1;
      newline = pending.indexOf('\n', start);
    }
    pending = start === 0 ? pending : pending.slice(start);
  }
  pending += decoder.decode();
  if (pending.length > 0) yield pending.endsWith('\r') ? pending.slice(0, -1) : pending;
}
