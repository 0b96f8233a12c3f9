import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { optionFrom, stringOption } from './cli-options.ts';

// The floor reference for one Node hop: a bare pass-through proxy that pipes the request to the upstream
// and the answer back, over pooled keep-alive connections, without looking at a single byte of either.
// Whatever the gateway costs beyond this is parsing, routing, validation, logging and metrics.
//
//   node dist/bench/floor-proxy.js --target http://127.0.0.1:PORT [--port N]
// It prints `listening <port>` once it accepts connections.

const target = new URL(stringOption('target') ?? process.env.FLOOR_TARGET ?? 'http://127.0.0.1:8080');
const port = optionFrom('port', 'PORT', 0);
// No socket cap (Node's default): a cap here would queue requests behind open streams, and the floor would
// then measure that queue instead of one hop. 256 idle sockets are kept for reuse.
const agent = new Agent({ keepAlive: true, keepAliveMsecs: 60_000, maxFreeSockets: 256 });

const server = createServer((req, res) => {
  const upstream = request(
    { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers, agent },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  upstream.on('error', () => {
    if (!res.headersSent) res.writeHead(502);
    res.end();
  });
  req.pipe(upstream);
});
server.keepAliveTimeout = 120_000;
server.headersTimeout = 121_000;
// The same accept backlog as the gateway's, so that a burst of connections meets both hops alike.
server.listen({ port, host: '127.0.0.1', backlog: 4096 }, () => {
  process.stdout.write(`listening ${(server.address() as AddressInfo).port}\n`);
});
process.on('SIGTERM', () => {
  server.close(() => process.exit(0)).closeAllConnections();
  agent.destroy();
});
