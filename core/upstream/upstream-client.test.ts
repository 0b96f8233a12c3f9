import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, test } from 'node:test';
import { UpstreamNetworkError } from '../errors/upstream-network-error.ts';
import type { BodyQueue } from './body-queue.ts';
import { UpstreamClient } from './http-client.ts';

// The upstream client's own body reader (UpstreamExchange) against a real HTTP server on loopback: every
// way of reading a body, backpressure, aborts at each point, and connections kept or cut as they should be.

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
let handler: Handler = (_req, res) => res.end('ok');
/** The client port of each request: the same port twice means the keep-alive connection was reused. */
let ports: number[] = [];
let server: Server;
let client: UpstreamClient;
let baseUrl: string;

before(async () => {
  server = createServer((req, res) => {
    ports.push(req.socket.remotePort!);
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  client = new UpstreamClient({ provider: 'acme', baseUrl });
});
after(async () => {
  await client.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  ports = [];
});

/** A client with an empty pool, for a test that checks which connection a request used. */
async function withOwnPool(run: (own: UpstreamClient) => Promise<void>): Promise<void> {
  const own = new UpstreamClient({ provider: 'acme', baseUrl });
  try {
    await run(own);
  } finally {
    await own.close();
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const signal = () => new AbortController().signal;

/** Writes each part as its own chunk, waiting `gapMs` between them, then ends (or resets the socket). */
function chunked(parts: string[], gapMs = 0, then: 'end' | 'reset' = 'end'): Handler {
  return async (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain', 'x-answer': 'yes' });
    for (const part of parts) {
      res.write(part);
      if (gapMs > 0) await sleep(gapMs);
    }
    if (then === 'end') res.end();
    else res.socket?.destroy();
  };
}

async function readAll(body: AsyncIterable<Buffer>): Promise<string[]> {
  const out: string[] = [];
  for await (const chunk of body) out.push(chunk.toString('utf8'));
  return out;
}

test('status, headers and the whole body as text, with a multi-byte character split across chunks', async () => {
  const euro = Buffer.from('€');
  handler = (_req, res) => {
    res.writeHead(201, { 'retry-after': '3' });
    res.write(Buffer.concat([Buffer.from('price: '), euro.subarray(0, 1)]));
    setTimeout(() => res.end(Buffer.concat([euro.subarray(1), Buffer.from('5')])), 5);
  };
  const response = await client.send('/x', { signal: signal() });
  assert.equal(response.statusCode, 201);
  assert.equal(response.headers['retry-after'], '3');
  assert.equal(await response.body.text(), 'price: €5');
});

test('the request goes out as given: method, path under the base, headers and body', async () => {
  let seen: { method?: string; url?: string; type?: string; extra?: string; body: string } = { body: '' };
  handler = (req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      seen = { method: req.method, url: req.url, type: req.headers['content-type'], extra: req.headers['x-extra'] as string, body };
      res.end('{}');
    });
  };
  const response = await client.send('/chat', { body: '{"a":1}', signal: signal(), headers: { 'x-extra': 'yes' } });
  await response.body.text();
  assert.deepEqual(seen, { method: 'POST', url: '/v1/chat', type: 'application/json', extra: 'yes', body: '{"a":1}' });
});

test('chunks are read in order as they arrive, and the connection is reused after the end', async () => {
  await withOwnPool(async (own) => {
    handler = chunked(['a', 'b', 'c'], 10);
    const first = await own.send('/x', { signal: signal() });
    assert.deepEqual(await readAll(first.body), ['a', 'b', 'c']);
    await sleep(5); // undici frees a connection one event-loop turn after its answer ended
    handler = chunked(['d']);
    const second = await own.send('/x', { signal: signal() });
    assert.deepEqual(await readAll(second.body), ['d']);
    assert.equal(ports.length, 2);
    assert.equal(ports[0], ports[1], 'the keep-alive connection went back to the pool');
  });
});

test('a reader slower than the upstream gets every chunk (the socket pauses instead of the reader losing any)', async () => {
  const parts = Array.from({ length: 300 }, (_, i) => `${i};`);
  handler = chunked(parts, 0);
  const response = await client.send('/x', { signal: signal() });
  let text = '';
  for await (const chunk of response.body) {
    text += chunk.toString('utf8');
    await sleep(0);
  }
  assert.equal(text, parts.join(''));
});

test('text() after some chunks were already read returns the rest', async () => {
  handler = chunked(['one|', 'two|', 'three'], 10);
  const response = await client.send('/x', { signal: signal() });
  const iterator = response.body[Symbol.asyncIterator]();
  assert.equal((await iterator.next()).value.toString(), 'one|');
  assert.equal(await response.body.text(), 'two|three');
});

test('dump() reads a small rest to the end and keeps the connection', async () => {
  await withOwnPool(async (own) => {
    handler = chunked(['x'.repeat(1000), 'y'.repeat(1000)], 5);
    const first = await own.send('/x', { signal: signal() });
    await first.body.dump();
    await sleep(5);
    handler = chunked(['ok']);
    assert.equal(await (await own.send('/x', { signal: signal() })).body.text(), 'ok');
    assert.equal(ports[0], ports[1]);
  });
});

test('dump() of a large body cuts it instead of reading it all', async () => {
  await withOwnPool(async (own) => {
    handler = chunked(Array.from({ length: 40 }, () => 'z'.repeat(16 * 1024)), 2);
    const first = await own.send('/x', { signal: signal() });
    await first.body.dump();
    await sleep(5);
    handler = chunked(['ok']);
    assert.equal(await (await own.send('/x', { signal: signal() })).body.text(), 'ok');
    assert.notEqual(ports[0], ports[1], 'the cut connection was not reused');
  });
});

test('destroy() mid-body cuts the connection, and stopping a for-await early does the same', async () => {
  await withOwnPool(async (own) => {
    handler = chunked(['a', 'b', 'c', 'd'], 30);
    const first = await own.send('/x', { signal: signal() });
    for await (const chunk of first.body) {
      assert.equal(chunk.toString(), 'a');
      break;
    }
    handler = chunked(['ok']);
    assert.equal(await (await own.send('/x', { signal: signal() })).body.text(), 'ok');
    assert.notEqual(ports[0], ports[1]);
  });
});

test('an abort before the answer rejects with the signal’s reason, and nothing waits behind it', async () => {
  handler = () => undefined; // never answers
  const controller = new AbortController();
  const reason = new Error('caller went away');
  const pending = client.send('/x', { signal: controller.signal });
  setTimeout(() => controller.abort(reason), 20);
  await assert.rejects(pending, (err) => err === reason);
});

test('an abort while a read waits fails that read with the signal’s reason', async () => {
  handler = chunked(['a', 'b'], 500);
  const controller = new AbortController();
  const response = await client.send('/x', { signal: controller.signal });
  const iterator = response.body[Symbol.asyncIterator]();
  assert.equal((await iterator.next()).value.toString(), 'a');
  const reason = new Error('timed out');
  setTimeout(() => controller.abort(reason), 10);
  await assert.rejects(iterator.next(), (err) => err === reason);
});

test('a signal aborted before sending sends nothing upstream', async () => {
  handler = chunked(['a']);
  const controller = new AbortController();
  const reason = new Error('already gone');
  controller.abort(reason);
  await assert.rejects(client.send('/x', { signal: controller.signal }), (err) => err === reason);
  await sleep(30);
  assert.equal(ports.length, 0);
});

test('a connection reset mid-body fails the read (the chunks before it still arrive)', async () => {
  handler = chunked(['a', 'b'], 10, 'reset');
  const response = await client.send('/x', { signal: signal() });
  const got: string[] = [];
  await assert.rejects(async () => {
    for await (const chunk of response.body) got.push(chunk.toString());
  });
  assert.deepEqual(got, ['a', 'b']);
});

test('a refused connection is an UpstreamNetworkError naming the origin', async () => {
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const port = (closed.address() as AddressInfo).port;
  await new Promise((resolve) => closed.close(resolve));
  const nowhere = new UpstreamClient({ provider: 'gone', baseUrl: `http://127.0.0.1:${port}` });
  try {
    await assert.rejects(nowhere.send('/x', { signal: signal() }), (err) => err instanceof UpstreamNetworkError && /cannot reach http:\/\/127\.0\.0\.1/.test(err.message));
  } finally {
    await nowhere.close();
  }
});

test('json() parses the whole body, and a body that is not JSON is a SyntaxError', async () => {
  handler = chunked(['{"a":', '[1,2]}']);
  assert.deepEqual(await (await client.send('/x', { signal: signal() })).body.json(), { a: [1, 2] });
  handler = chunked(['not json']);
  await assert.rejects((await client.send('/x', { signal: signal() })).body.json(), SyntaxError);
});

test('pipe() hands over what was queued first, then each chunk as it comes, then the end; hold() pauses the socket', async () => {
  const parts = Array.from({ length: 100 }, (_, i) => `${i};`);
  handler = chunked(['first;', ...parts], 1);
  const response = await client.send('/x', { signal: signal() });
  await sleep(20); // some chunks queue before the pipe
  const body = response.body as BodyQueue;
  let text = '';
  await new Promise<void>((resolve, reject) => {
    body.pipe({
      chunk: (chunk) => {
        text += chunk.toString('utf8');
        body.hold();
        setTimeout(() => body.release(), 1);
      },
      end: resolve,
      fail: reject,
    });
  });
  assert.equal(text, ['first;', ...parts].join(''));
});

test('pipe() after the body failed hands over the failure', async () => {
  handler = chunked(['a'], 5, 'reset');
  const response = await client.send('/x', { signal: signal() });
  await sleep(50);
  const got = await new Promise<string>((resolve) => (response.body as BodyQueue).pipe({ chunk: () => undefined, end: () => resolve('end'), fail: () => resolve('fail') }));
  assert.equal(got, 'fail');
});

test('requests in flight at once each get their own connection, and the next ones reuse those instead of opening more', async () => {
  await withOwnPool(async (own) => {
    let open: Array<() => void> = [];
    handler = (_req, res) => {
      res.writeHead(200);
      res.write('held');
      open.push(() => res.end());
    };
    const round = async () => {
      const answers = await Promise.all(Array.from({ length: 5 }, () => own.send('/x', { signal: signal() })));
      assert.equal(open.length, 5, 'all five reached the server at once: none waited behind another');
      for (const end of open) end();
      open = [];
      await Promise.all(answers.map((answer) => answer.body.text()));
      await sleep(5);
    };
    await round();
    const first = new Set(ports);
    assert.equal(first.size, 5);
    ports = [];
    await round();
    assert.deepEqual(new Set(ports), first, 'the second round used the same five connections');
  });
});

test('a request that failed or was aborted gives its connection back, and the next request is served', async () => {
  await withOwnPool(async (own) => {
    handler = chunked(['a', 'b'], 20, 'reset');
    const cut = await own.send('/x', { signal: signal() });
    await assert.rejects(cut.body.text());
    const aborting = new AbortController();
    handler = chunked(['slow'], 200);
    const aborted = await own.send('/x', { signal: aborting.signal });
    aborting.abort(new Error('caller left'));
    await assert.rejects(aborted.body.text(), /caller left/);
    for (let i = 0; i < 3; i++) {
      handler = chunked([`ok${i}`]);
      const answer = await own.send('/x', { signal: signal() });
      assert.equal(await answer.body.text(), `ok${i}`);
    }
  });
});

test('a client asked for a bound keeps to it: a request past it waits for a connection to come free, then reuses it', async () => {
  const bounded = new UpstreamClient({ provider: 'acme', baseUrl, connections: 1 });
  try {
    let release: () => void = () => undefined;
    handler = (_req, res) => {
      res.writeHead(200);
      res.write('first');
      release = () => res.end();
    };
    const first = await bounded.send('/x', { signal: signal() });
    handler = (_req, res) => res.end('second');
    const second = bounded.send('/x', { signal: signal() });
    await sleep(50);
    assert.equal(ports.length, 1, 'the second request did not reach the server while the one connection was busy');
    release();
    assert.equal(await first.body.text(), 'first');
    assert.equal(await (await second).body.text(), 'second');
    assert.equal(ports.length, 2);
    assert.equal(ports[0], ports[1], 'on the same connection');
  } finally {
    await bounded.close();
  }
});
