import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chatCompletion, embeddings, models, notFound, sseEvents } from './upstream-payloads.ts';
import { optionFrom } from './cli-options.ts';

// A very cheap fake OpenAI-compatible upstream, run as its own process (`node dist/bench/upstream.js`).
// Answers are pre-serialized; the body is only scanned for `"stream":true`, never parsed.
//
// Defaults come from argv/env (--delay / UPSTREAM_DELAY_MS, --chunk-delay / UPSTREAM_CHUNK_DELAY_MS,
// --chunks / UPSTREAM_CHUNKS, --port / PORT). A path prefix overrides them per request, so one process can
// serve several "upstreams" and a gateway instance can point its base URL at one of them:
//   /d50/v1/chat/completions      50 ms before the answer (or before the first stream chunk)
//   /cd2/v1/chat/completions      2 ms between stream chunks
//   /n5/v1/chat/completions       5 stream chunks
// GET /_bench/stats answers how many model requests (chat, embeddings) it served and how many
// connections it accepted, so the benchmark can check that every gateway answer really came from here
// (not from a cache) and that the hop in front pools its upstream connections.
// It prints `listening <port>` once it accepts connections.

interface Behaviour {
  delayMs: number;
  chunkDelayMs: number;
  chunks: number;
}

const defaults: Behaviour = {
  delayMs: optionFrom('delay', 'UPSTREAM_DELAY_MS', 0),
  chunkDelayMs: optionFrom('chunk-delay', 'UPSTREAM_CHUNK_DELAY_MS', 0),
  chunks: optionFrom('chunks', 'UPSTREAM_CHUNKS', 20),
};
const port = optionFrom('port', 'PORT', 0);

// Parsed once per distinct URL: the benchmark uses a handful, so the map stays tiny.
const routes = new Map<string, { route: string; behaviour: Behaviour }>();
const streams = new Map<number, ReturnType<typeof sseEvents>>();

function routeOf(url: string): { route: string; behaviour: Behaviour } {
  let known = routes.get(url);
  if (known) return known;
  const at = url.indexOf('/v1/');
  const behaviour = { ...defaults };
  for (const segment of at > 0 ? url.slice(1, at).split('/') : []) {
    const match = /^(d|cd|n)(\d+)$/.exec(segment);
    if (!match) continue;
    const value = Number(match[2]);
    if (match[1] === 'd') behaviour.delayMs = value;
    else if (match[1] === 'cd') behaviour.chunkDelayMs = value;
    else behaviour.chunks = Math.max(1, value);
  }
  known = { route: at >= 0 ? url.slice(at).split('?')[0]! : url, behaviour };
  routes.set(url, known);
  return known;
}

function eventsFor(count: number): ReturnType<typeof sseEvents> {
  let events = streams.get(count);
  if (!events) streams.set(count, (events = sseEvents(count)));
  return events;
}

function sendJson(res: ServerResponse, status: number, body: Buffer): void {
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': body.length });
  res.end(body);
}

function sendStream(res: ServerResponse, behaviour: Behaviour, includeUsage: boolean): void {
  const { chunks, usage, done } = eventsFor(behaviour.chunks);
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  const tail = () => {
    if (includeUsage) res.write(usage);
    res.end(done);
  };
  if (behaviour.chunkDelayMs === 0) {
    for (const chunk of chunks) res.write(chunk);
    return tail();
  }
  let i = 0;
  const next = () => {
    if (res.destroyed) return;
    res.write(chunks[i++]);
    if (i < chunks.length) setTimeout(next, behaviour.chunkDelayMs);
    else setTimeout(tail, behaviour.chunkDelayMs);
  };
  next();
}

let modelRequests = 0;
let connections = 0;

function answer(req: IncomingMessage, res: ServerResponse, body: string): void {
  const { route, behaviour } = routeOf(req.url ?? '/');
  if (req.method === 'POST') modelRequests++;
  if (req.method === 'POST' && route === '/v1/chat/completions') {
    // Callers send compact JSON (JSON.stringify), so a substring test is enough and costs no parse.
    if (body.includes('"stream":true')) return sendStream(res, behaviour, body.includes('"include_usage":true'));
    return sendJson(res, 200, chatCompletion);
  }
  if (req.method === 'POST' && route === '/v1/embeddings') return sendJson(res, 200, embeddings);
  if (req.method === 'GET' && route === '/v1/models') return sendJson(res, 200, models);
  if (req.method === 'GET' && req.url === '/_bench/stats') return sendJson(res, 200, Buffer.from(JSON.stringify({ requests: modelRequests, connections })));
  return sendJson(res, 404, notFound);
}

const server = createServer((req, res) => {
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (chunk: string) => (body += chunk));
  req.on('end', () => {
    const { behaviour } = routeOf(req.url ?? '/');
    if (behaviour.delayMs > 0) setTimeout(() => answer(req, res, body), behaviour.delayMs);
    else answer(req, res, body);
  });
});
server.on('connection', () => connections++);
// Longer than any pause in the benchmark, so a pooled client never races the server's idle close.
server.keepAliveTimeout = 120_000;
server.headersTimeout = 121_000;
// A large accept backlog: the fake upstream must never be what limits a burst of connections.
server.listen({ port, host: '127.0.0.1', backlog: 4096 }, () => {
  process.stdout.write(`listening ${(server.address() as AddressInfo).port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)).closeAllConnections());
