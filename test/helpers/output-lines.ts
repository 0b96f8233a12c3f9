import type { Readable } from 'node:stream';

/**
 * Calls `onLine` with every whole line a child's output stream writes, without its newline. One buffer
 * per stream: a line of stdout is only whole once stdout itself wrote the newline, whatever stderr did.
 */
export function eachLine(stream: Readable, onLine: (line: string) => void): void {
  let pending = '';
  stream.on('data', (chunk: Buffer) => {
    pending += chunk.toString('utf8');
    const lines = pending.split('\n');
    pending = lines.pop()!;
    lines.forEach((line) => onLine(line));
  });
}
