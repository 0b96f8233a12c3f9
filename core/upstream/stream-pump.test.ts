import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { after, before, beforeEach, test } from 'node:test';
import { FakeServer, sleep, type RecordedRequest } from '../../test/helpers/fake-server.ts';
import { UpstreamHttpError } from '../errors/upstream-http-error.ts';
import { UpstreamNetworkError } from '../errors/upstream-network-error.ts';
import { UpstreamProtocolError } from '../errors/upstream-protocol-error.ts';
import { UpstreamClient } from './http-client.ts';
import { NdjsonParser } from './ndjson-parser.ts';
import { isPipeable, type Pipeable } from './item-sink.ts';
import { pumpToEndMarker, type StreamPump } from './stream-pump.ts';

interface Line {
  n?: number;
  done?: boolean;
  fail?: boolean;
}

/** How the server sends its lines, then what it does: end the body, keep it open, or reset the socket. */
interface Script {
  lines: string[];
  then: 'end' | 'keep-open' | 'reset';
}

let script: Script = { lines: [], then: 'end' };
/** The client port of each request: the same port twice means the keep-alive connection was reused. */
let ports: number[] = [];

async function serve(res: ServerResponse): Promise<void> {
  ports.push(res.socket!.remotePort!);
  res.writeHead(200, { 'content-type': 'application/x-ndjson' });
  for (const line of script.lines) {
    if (res.destroyed) return;
    await new Promise<void>((resolve) => res.write(`${line}\n`, () => resolve()));
  }
  // The end comes a moment after the last line, as it may from a real upstream: a pump that cut the body
  // at the marker instead of reading its end would lose the connection.
  if (script.then === 'end') setTimeout(() => res.end(), 5);
  else if (script.then === 'reset') setTimeout(() => res.socket?.destroy(), 20);
}

const server = new FakeServer({ handle: ({ res }) => serve(res), errorBody: () => ({}) });
let client: UpstreamClient;

before(async () => {
  await server.start();
  client = new UpstreamClient({ provider: 'acme', baseUrl: server.url });
});
after(async () => {
  await client.close();
  await server.stop();
});
beforeEach(() => {
  ports = [];
  server.clearRequests();
});

const pump = (signal: AbortSignal): StreamPump<Line, number> => ({
  send: () => client.send('/stream', { signal }),
  parse: () => new NdjsonParser<Line>('acme'),
  items(line) {
    if (line.fail) throw new UpstreamHttpError('acme: the model broke down', 500);
    return line.n === undefined ? [] : [line.n];
  },
  isEnd: (line) => line.done === true,
  cutMessage: 'acme: the stream ended before done',
});

async function open(given: Script, signal = new AbortController().signal): Promise<AsyncIterableIterator<number>> {
  script = given;
  return pumpToEndMarker(client, signal, pump(signal));
}

/** Everything the stream yields, and the error it ends with (undefined for a clean end). */
async function drain(stream: AsyncIterable<number>): Promise<{ items: number[]; error?: unknown }> {
  const items: number[] = [];
  try {
    for await (const item of stream) items.push(item);
    return { items };
  } catch (error) {
    return { items, error };
  }
}

async function closedByClient(request: RecordedRequest | undefined): Promise<boolean> {
  for (let i = 0; i < 50 && request?.abortedAt === undefined; i++) await sleep(10);
  return request?.abortedAt !== undefined;
}

test('a stream read to its marker yields every item, the marker line too, and reuses the connection', async () => {
  const lines = ['{"n":1}', '', '{"n":2}', '{"n":3,"done":true}'];
  assert.deepEqual(await drain(await open({ lines, then: 'end' })), { items: [1, 2, 3] });
  // undici puts a finished connection back in its pool only on a later turn of the event loop.
  await sleep(10);
  assert.deepEqual(await drain(await open({ lines, then: 'end' })), { items: [1, 2, 3] });
  assert.equal(ports.length, 2);
  assert.equal(ports[0], ports[1], `the second stream rode the first one's connection (ports ${ports.join(', ')})`);
});

test('a non-2xx answer throws its mapped error before any item, through the pump\'s own status mapping', async () => {
  server.fault({ path: '/stream', status: 429, headers: { 'retry-after': '7' }, times: 1 });
  const { items, error } = await drain(await open({ lines: ['{"n":1}'], then: 'end' }));
  assert.deepEqual(items, []);
  assert.equal((error as { code?: string }).code, 'rate_limited');
  assert.equal((error as { retryAfterSeconds?: number }).retryAfterSeconds, 7);

  server.fault({ path: '/stream', status: 400, times: 1 });
  const signal = new AbortController().signal;
  const teapot = await drain(pumpToEndMarker(client, signal, { ...pump(signal), statusError: (provider, status) => new UpstreamHttpError(`${provider}: mapped ${status}`, 418) }));
  assert.match(String((teapot.error as Error).message), /acme: mapped 400/);
});

test('a body that ends before the marker throws the cut message after what arrived', async () => {
  const { items, error } = await drain(await open({ lines: ['{"n":1}', '{"n":2}'], then: 'end' }));
  assert.deepEqual(items, [1, 2]);
  assert.ok(error instanceof UpstreamProtocolError && error.message === 'acme: the stream ended before done', `a protocol error with the cut message (got ${String(error)})`);
});

test('a connection reset mid-stream is a network error, not a clean end', async () => {
  const { items, error } = await drain(await open({ lines: ['{"n":1}'], then: 'reset' }));
  assert.deepEqual(items, [1]);
  assert.ok(error instanceof UpstreamNetworkError && /dropped while reading/.test(error.message), `a read network error (got ${String(error)})`);
});

test('a body kept open after the marker is cut, and the stream ends cleanly at once', async () => {
  const started = Date.now();
  assert.deepEqual(await drain(await open({ lines: ['{"n":1}', '{"done":true}'], then: 'keep-open' })), { items: [1] });
  assert.ok(Date.now() - started < 1000, `ended within the grace period (took ${Date.now() - started} ms)`);
  assert.ok(await closedByClient(server.requests[0]), 'the open body was cut');
});

test("the parser's own error passes through unchanged", async () => {
  const { items, error } = await drain(await open({ lines: ['{"n":1}', 'not json', '{"done":true}'], then: 'end' }));
  assert.deepEqual(items, [1]);
  assert.ok(error instanceof UpstreamProtocolError && /not JSON: not json/.test(error.message), `the reader's protocol error (got ${String(error)})`);
});

test('an event that throws ends the stream with its error and releases the body', async () => {
  const { error } = await drain(await open({ lines: ['{"n":1}', '{"fail":true}'], then: 'keep-open' }));
  assert.ok(error instanceof UpstreamHttpError && /broke down/.test(error.message), `the event's error (got ${String(error)})`);
  assert.ok(await closedByClient(server.requests[0]), 'the body was released');
});

test('a consumer that stops early releases the body', async () => {
  const stream = await open({ lines: ['{"n":1}', '{"n":2}'], then: 'keep-open' });
  for await (const item of stream) {
    assert.equal(item, 1);
    break;
  }
  assert.ok(await closedByClient(server.requests[0]), 'the upstream request was closed');
});

test('an aborted call ends with its abort reason', async () => {
  const controller = new AbortController();
  const stream = await open({ lines: ['{"n":1}'], then: 'keep-open' }, controller.signal);
  const reason = new Error('the caller left');
  assert.deepEqual(await stream.next(), { done: false, value: 1 });
  controller.abort(reason);
  await assert.rejects(stream.next(), (err: unknown) => err === reason);
  assert.ok(await closedByClient(server.requests[0]), 'the upstream request was closed');
});

test('items of one read that come before a failing event are handed over before its error', async () => {
  // One write, so one read: two items and the event that throws.
  const { items, error } = await drain(await open({ lines: ['{"n":1}\n{"n":2}\n{"fail":true}\n{"n":3}'], then: 'keep-open' }));
  assert.deepEqual(items, [1, 2]);
  assert.ok(error instanceof UpstreamHttpError && /broke down/.test(error.message), `the event's error (got ${String(error)})`);
});

test('nothing is sent before the first read, and a stream stopped unread sends nothing at all', async () => {
  const stream = await open({ lines: ['{"n":1}', '{"done":true}'], then: 'end' });
  await sleep(30);
  assert.equal(server.requests.length, 0, 'no request before the first read');
  assert.deepEqual(await stream.return!(), { done: true, value: undefined });
  assert.deepEqual(await stream.next(), { done: true, value: undefined });
  await sleep(30);
  assert.equal(server.requests.length, 0, 'a stopped stream sent nothing');
});

test('a read after the end or after an error is simply done', async () => {
  const clean = await open({ lines: ['{"n":1,"done":true}'], then: 'end' });
  assert.deepEqual(await drain(clean), { items: [1] });
  assert.deepEqual(await clean.next(), { done: true, value: undefined });
  const broken = await open({ lines: ['{"fail":true}'], then: 'keep-open' });
  await assert.rejects(broken.next());
  assert.deepEqual(await broken.next(), { done: true, value: undefined });
});

/** The first item read, then the rest pushed (`pipe`), as the gateway streams a committed answer. */
async function pushed(stream: AsyncIterableIterator<number>, holdEvery = 0): Promise<{ items: number[]; error?: unknown }> {
  const items: number[] = [];
  const first = await stream.next();
  if (first.done) return { items };
  items.push(first.value);
  const pipeable = stream as unknown as Pipeable<number>;
  assert.ok(isPipeable(stream) && pipeable.canPipe(), 'the pump can be piped once its first item was read');
  return new Promise((resolve) => {
    const handle = pipeable.pipe({
      item: (item) => {
        items.push(item);
        if (holdEvery === 0 || items.length % holdEvery !== 0) return true;
        setTimeout(() => handle.resume(), 5);
        return false;
      },
      end: () => resolve({ items }),
      fail: (error) => resolve({ items, error }),
    });
  });
}

test('pushed: every item after the first arrives through the sink, and the connection is reused', async () => {
  const lines = ['{"n":1}', '{"n":2}', '{"n":3}', '{"n":4,"done":true}'];
  assert.deepEqual(await pushed(await open({ lines, then: 'end' })), { items: [1, 2, 3, 4] });
  await sleep(10);
  assert.deepEqual(await pushed(await open({ lines, then: 'end' })), { items: [1, 2, 3, 4] });
  assert.equal(ports[0], ports[1], `the second stream rode the first one's connection (ports ${ports.join(', ')})`);
});

test('pushed: a sink that holds back gets every item, in order', async () => {
  const lines = [...Array.from({ length: 200 }, (_, i) => `{"n":${i + 1}}`), '{"n":201,"done":true}'];
  const { items, error } = await pushed(await open({ lines, then: 'end' }), 7);
  assert.equal(error, undefined);
  assert.deepEqual(items, Array.from({ length: 201 }, (_, i) => i + 1));
});

test('pushed: the items of one read before a failing event go out before its error', async () => {
  const { items, error } = await pushed(await open({ lines: ['{"n":1}', '{"n":2}\n{"n":3}\n{"fail":true}\n{"n":4}'], then: 'keep-open' }));
  assert.deepEqual(items, [1, 2, 3]);
  assert.ok(error instanceof UpstreamHttpError && /broke down/.test(error.message), `the event's error (got ${String(error)})`);
  assert.ok(await closedByClient(server.requests[0]), 'the body was released');
});

test('pushed: a body cut before the marker fails with the cut message, a reset with a network error', async () => {
  const cut = await pushed(await open({ lines: ['{"n":1}', '{"n":2}'], then: 'end' }));
  assert.deepEqual(cut.items, [1, 2]);
  assert.ok(cut.error instanceof UpstreamProtocolError && cut.error.message === 'acme: the stream ended before done');
  const reset = await pushed(await open({ lines: ['{"n":1}', '{"n":2}'], then: 'reset' }));
  assert.deepEqual(reset.items, [1, 2]);
  assert.ok(reset.error instanceof UpstreamNetworkError && /dropped while reading/.test(reset.error.message), `a read network error (got ${String(reset.error)})`);
});

test('pushed: a body kept open after the marker is cut after the grace, and the stream ends cleanly', async () => {
  const started = Date.now();
  assert.deepEqual(await pushed(await open({ lines: ['{"n":1}', '{"n":2}', '{"done":true}'], then: 'keep-open' })), { items: [1, 2] });
  assert.ok(Date.now() - started < 1000, `ended within the grace period (took ${Date.now() - started} ms)`);
  assert.ok(await closedByClient(server.requests[0]), 'the open body was cut');
});

test('pushed: an abort ends the stream with its reason at once, even while the sink holds back', async () => {
  const controller = new AbortController();
  const stream = await open({ lines: ['{"n":1}', '{"n":2}', '{"n":3}'], then: 'keep-open' }, controller.signal);
  assert.deepEqual(await stream.next(), { done: false, value: 1 });
  const reason = new Error('the caller left');
  const outcome = await new Promise<{ items: number[]; error?: unknown }>((resolve) => {
    const items: number[] = [];
    (stream as unknown as Pipeable<number>).pipe({
      item: (item) => {
        items.push(item);
        setTimeout(() => controller.abort(reason), 10);
        return false; // never resumed: only the abort can end it
      },
      end: () => resolve({ items }),
      fail: (error) => resolve({ items, error }),
    });
  });
  assert.equal(outcome.error, reason);
  assert.deepEqual(outcome.items, [2]);
  assert.ok(await closedByClient(server.requests[0]), 'the upstream request was closed');
});
