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

/**
 * Lets the first event of a stream leave now. Node's HTTP response corks the socket on a write and
 * uncorks it on the next tick, and a next tick waits for the promise jobs in flight: a stream whose
 * upstream sent a burst would translate the whole burst before its first byte went out. One turn of the
 * event loop after the first write sends the headers and that event at once.
 */
export function firstEventSent(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
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
