import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** A real node:http server on a free loopback port, with a log of every connection and request it saw. */
export interface ImageServer {
  port: number;
  /** `http://127.0.0.1:<port>` */
  origin: string;
  requests: Array<{ method: string; path: string; headers: IncomingMessage['headers'] }>;
  /** TCP connections accepted, requests or not: a refusal must leave this at 0. */
  connections: number;
  close(): Promise<void>;
}

export async function startImageServer(routes: Record<string, Handler>): Promise<ImageServer> {
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    state.requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers });
    const handler = routes[new URL(req.url ?? '/', 'http://x').pathname];
    if (handler) handler(req, res);
    else res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  });
  server.on('connection', (socket: Socket) => {
    state.connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  const state: ImageServer = {
    port,
    origin: `http://127.0.0.1:${port}`,
    requests: [],
    connections: 0,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return state;
}

/** A handler that sends `bytes` as `contentType`. */
export function serve(contentType: string, bytes: Buffer | string): Handler {
  return (_req, res) => res.writeHead(200, { 'content-type': contentType, 'content-length': Buffer.byteLength(bytes) }).end(bytes);
}

export function redirect(location: string, status = 302): Handler {
  return (_req, res) => res.writeHead(status, { location }).end();
}

/** A handler that never answers. */
export const hang: Handler = () => undefined;

/**
 * Streams PNG-looking chunks of 16 KiB up to `totalBytes`, with or without a Content-Length, and resolves
 * `result` with how many bytes it wrote and whether the client closed the connection before the end.
 */
export function streamBig(totalBytes: number, withLength: boolean) {
  let settle: (value: { written: number; closedEarly: boolean }) => void = () => undefined;
  const result = new Promise<{ written: number; closedEarly: boolean }>((resolve) => (settle = resolve));
  const handler: Handler = (_req, res) => {
    const headers: Record<string, string | number> = { 'content-type': 'image/png' };
    if (withLength) headers['content-length'] = totalBytes;
    res.writeHead(200, headers);
    res.flushHeaders();
    const chunk = Buffer.alloc(16 * 1024, 0x41);
    chunk.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    let written = 0;
    let closed = false;
    res.on('close', () => {
      closed = true;
      settle({ written, closedEarly: written < totalBytes || !res.writableFinished });
    });
    const pump = () => {
      while (!closed && written < totalBytes) {
        written += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      if (!closed) res.end();
    };
    // A slow start, so the client has the headers (and a Content-Length to refuse) before much is sent.
    setTimeout(pump, 20);
  };
  return { handler, result };
}
