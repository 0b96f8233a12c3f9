import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { decodeJson, decodeProtobuf, type ReceivedSpan } from './otlp-decode.ts';

export type { ReceivedSpan } from './otlp-decode.ts';

/**
 * An OTLP/HTTP trace receiver on a loopback port, as a collector is to the official exporters: `POST
 * /v1/traces` in protobuf or JSON (gzip too), every span kept in decoded form. It can refuse exports
 * (`failWith(503)`) or be stopped, for the tests of a collector that is down.
 */
export class OtlpReceiver {
  readonly spans: ReceivedSpan[] = [];
  /** The content types of the exports received, in order. */
  readonly contentTypes: string[] = [];
  /** The content encodings of the exports received ('' when uncompressed), in order. */
  readonly contentEncodings: string[] = [];
  /** Every export body as it arrived (decompressed), for checks on what never may be in one. */
  readonly bodies: Buffer[] = [];
  /** Exports answered with the `failWith` status (retries included). */
  refused = 0;
  private server: Server | undefined;
  private refuseWith: number | undefined;
  private port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        if (req.method !== 'POST' || req.url !== '/v1/traces') {
          res.writeHead(404).end();
          return;
        }
        if (this.refuseWith !== undefined) {
          this.refused++;
          res.writeHead(this.refuseWith, { 'content-type': 'text/plain' }).end('refused');
          return;
        }
        const encoding = String(req.headers['content-encoding'] ?? '');
        const type = String(req.headers['content-type'] ?? '');
        const json = type.startsWith('application/json');
        let body: Buffer;
        let spans: ReceivedSpan[];
        try {
          body = encoding === 'gzip' ? gunzipSync(Buffer.concat(chunks)) : Buffer.concat(chunks);
          spans = json ? decodeJson(body) : decodeProtobuf(body);
        } catch (err) {
          // A body that does not decode is the exporter's bug to see, not a crash of the test process.
          res.writeHead(400, { 'content-type': 'text/plain' }).end(`undecodable export: ${(err as Error).message}`);
          return;
        }
        this.contentTypes.push(type);
        this.contentEncodings.push(encoding);
        this.bodies.push(body);
        this.spans.push(...spans);
        res.writeHead(200, { 'content-type': json ? 'application/json' : 'application/x-protobuf' }).end(json ? '{}' : '');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
    return this;
  }

  /** Answers every export with this status from now on (undefined: accept again). */
  failWith(status: number | undefined): void {
    this.refuseWith = status;
  }

  /** Resolves with every span so far once `ready(spans)` holds; rejects past `timeoutMs`. */
  async waitFor(ready: (spans: ReceivedSpan[]) => boolean, timeoutMs = 5000): Promise<ReceivedSpan[]> {
    const deadline = Date.now() + timeoutMs;
    while (!ready(this.spans)) {
      if (Date.now() > deadline) throw new Error(`the receiver did not get the expected spans within ${timeoutMs} ms; it has: ${this.spans.map((s) => s.name).join(', ')}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return this.spans;
  }

  /** The spans of one trace. */
  trace(traceId: string): ReceivedSpan[] {
    return this.spans.filter((s) => s.traceId === traceId);
  }

  clear(): void {
    this.spans.length = 0;
    this.contentTypes.length = 0;
    this.contentEncodings.length = 0;
    this.bodies.length = 0;
    this.refused = 0;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
