import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** A fault the next matching requests meet instead of (or during) a normal answer. */
export interface Fault {
  /** Only requests whose path starts with this (or matches it) are affected; all when absent. */
  path?: string | RegExp;
  /** Answer with this HTTP status and the protocol's error body. */
  status?: number;
  /** Error message for `status` (the fake wraps it in its protocol's error shape). */
  message?: string;
  /** Raw body to send instead of the protocol error shape (for malformed answers). */
  rawBody?: string;
  /** Extra response headers (`Retry-After`). */
  headers?: Record<string, string>;
  /** Destroy the socket without answering (connection reset). */
  reset?: boolean;
  /** Never answer; the socket stays open until the client gives up or the server stops. */
  hang?: boolean;
  /** Wait this long before the first byte (headers included). */
  delayMs?: number;
  /** Streams: destroy the socket after this many chunks were written. */
  cutAfterChunks?: number;
  /** Streams: stop writing (socket left open) after this many chunks. */
  stallAfterChunks?: number;
  /** Streams: wait this long between chunks. */
  chunkDelayMs?: number;
  /** How many requests the fault applies to; unlimited when absent. */
  times?: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  /** Parsed JSON when the body was JSON, else the text (empty string for no body). */
  body: any;
  receivedAt: number;
  /** Set when the client closed the connection before the response finished. */
  abortedAt?: number;
  /** Set when the exchange is over (answered, or the connection closed). */
  endedAt?: number;
}

/** What a protocol handler gets: the request, its parsed body, and a writer that applies streaming faults. */
export interface FakeExchange {
  req: IncomingMessage;
  res: ServerResponse;
  record: RecordedRequest;
  url: URL;
  /** Writes one stream chunk, honouring `cutAfterChunks`, `stallAfterChunks` and `chunkDelayMs`; resolves false once the stream must stop. */
  writeChunk(text: string): Promise<boolean>;
}

export interface ProtocolHandler {
  /** Handles one request; the base has already applied non-streaming faults. */
  handle(exchange: FakeExchange): void | Promise<void>;
  /** The provider's error body for a status and message. */
  errorBody(status: number, message: string): unknown;
}

/**
 * A real `node:http` server on a free loopback port that a protocol fake (Ollama, OpenAI, Gemini) plugs
 * into. It records every request, can be stopped and restarted on the same port, and injects faults:
 * error statuses, resets, hangs, slow first bytes, mid-stream cuts and stalls.
 */
export class FakeServer {
  readonly requests: RecordedRequest[] = [];
  private faults: Fault[] = [];
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private port = 0;

  constructor(private readonly protocol: ProtocolHandler) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(port = this.port): Promise<this> {
    const server = createServer((req, res) => void this.onRequest(req, res));
    server.keepAliveTimeout = 60_000;
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
    return this;
  }

  /** Stops listening and drops every open connection (a GPU box switched off). */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  fault(fault: Fault): this {
    this.faults.push({ ...fault });
    return this;
  }

  clearFaults(): this {
    this.faults = [];
    return this;
  }

  /** Requests whose path starts with `prefix`. */
  requestsTo(prefix: string): RecordedRequest[] {
    return this.requests.filter((r) => r.path.startsWith(prefix));
  }

  /** The most requests to `prefix` that were open at the same moment (a provider's concurrency as it saw it). */
  peakInFlight(prefix: string): number {
    const edges: Array<[number, number]> = [];
    for (const r of this.requestsTo(prefix)) edges.push([r.receivedAt, 1], [r.endedAt ?? Infinity, -1]);
    // At one instant an end counts before a start: a slot handed straight on is not two at once.
    edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    let open = 0;
    let peak = 0;
    for (const [, step] of edges) peak = Math.max(peak, (open += step));
    return peak;
  }

  clearRequests(): void {
    this.requests.length = 0;
  }

  private takeFault(path: string): Fault | undefined {
    const index = this.faults.findIndex((f) =>
      f.path === undefined ? true : typeof f.path === 'string' ? path.startsWith(f.path) : f.path.test(path),
    );
    if (index === -1) return undefined;
    const fault = this.faults[index]!;
    if (fault.times !== undefined) {
      fault.times -= 1;
      if (fault.times <= 0) this.faults.splice(index, 1);
    }
    return fault;
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    let body: unknown = text;
    if (text.length > 0) {
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
    }
    const record: RecordedRequest = { method: req.method ?? 'GET', path: url.pathname + url.search, headers: req.headers, body, receivedAt: Date.now() };
    this.requests.push(record);
    res.on('close', () => {
      record.endedAt = Date.now();
      if (!res.writableFinished) record.abortedAt = Date.now();
    });

    const fault = this.takeFault(url.pathname);
    if (fault?.reset) {
      req.socket.destroy();
      return;
    }
    if (fault?.hang) return;
    if (fault?.delayMs) await sleep(fault.delayMs);
    if (res.destroyed) return;
    if (fault?.status !== undefined) {
      const payload = fault.rawBody ?? JSON.stringify(this.protocol.errorBody(fault.status, fault.message ?? `fault ${fault.status}`));
      res.writeHead(fault.status, { 'content-type': 'application/json', ...fault.headers });
      res.end(payload);
      return;
    }
    if (fault?.rawBody !== undefined) {
      res.writeHead(200, { 'content-type': 'application/json', ...fault.headers });
      res.end(fault.rawBody);
      return;
    }

    let written = 0;
    const writeChunk = async (chunk: string): Promise<boolean> => {
      if (res.destroyed) return false;
      if (fault?.chunkDelayMs && written > 0) await sleep(fault.chunkDelayMs);
      if (fault?.stallAfterChunks !== undefined && written >= fault.stallAfterChunks) return false;
      if (fault?.cutAfterChunks !== undefined && written >= fault.cutAfterChunks) {
        // Let what was written reach the client first, or the cut would swallow it.
        await sleep(20);
        res.socket?.destroy();
        return false;
      }
      await new Promise<void>((resolve) => res.write(chunk, () => resolve()));
      written += 1;
      return !res.destroyed;
    };
    try {
      await this.protocol.handle({ req, res, record, url, writeChunk });
    } catch (err) {
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify(this.protocol.errorBody(500, String(err))));
      } else res.destroy();
    }
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
