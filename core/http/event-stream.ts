import type { ServerResponse } from 'node:http';

/** Headers that keep every proxy between us and the caller from buffering or compressing a stream. */
export const EVENT_STREAM_HEADERS = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  'Cache-Control': 'no-cache, no-transform',
  Connection: 'keep-alive',
  'X-Accel-Buffering': 'no',
};

/**
 * Writes one piece of an event stream at once: undefined when the socket took it, or a promise that
 * settles once its buffer drained (or the caller went away) — await it before the next piece. Returning a
 * promise only under backpressure spares one per event.
 */
export function writeEvent(res: ServerResponse, text: string): Promise<void> | undefined {
  return res.write(text) ? undefined : drained(res);
}

function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}
