import { Agent, request } from 'node:http';

// Times one SSE stream with a raw node:http request: time to the first body byte (the gateway sends its
// headers only when the first chunk is ready, so the first body byte is the first token's arrival), time
// to the end, and how many separate reads the body arrived in — a hop that batches chunks shows fewer.

export interface StreamTiming {
  ttfbMs: number;
  totalMs: number;
  /** Socket reads that carried body bytes. */
  reads: number;
  /** Events received (`data:` lines, with or without an `event:` line before them). */
  events: number;
}

/** One pooled connection per target, as a client with a keep-alive agent would have. */
export function streamAgent(): Agent {
  return new Agent({ keepAlive: true, maxSockets: 1 });
}

export function timeStream(url: string, body: string, agent: Agent): Promise<StreamTiming> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    let firstByte: bigint | undefined;
    let reads = 0;
    let text = '';
    const req = request(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), accept: 'text/event-stream' },
      },
      (res) => {
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          firstByte ??= process.hrtime.bigint();
          reads++;
          text += chunk;
        });
        res.on('end', () => {
          const ended = process.hrtime.bigint();
          if (res.statusCode !== 200) return reject(new Error(`${url} answered ${res.statusCode}: ${text.slice(0, 300)}`));
          // A chat stream ends with [DONE]; a Responses stream with its response.completed event.
          const complete = text.endsWith('data: [DONE]\n\n') || text.lastIndexOf('event: response.completed\n') > text.lastIndexOf('event: response.output_item.done\n');
          if (!complete) return reject(new Error(`${url}: the stream did not end cleanly: …${text.slice(-300)}`));
          resolve({
            ttfbMs: Number((firstByte ?? ended) - started) / 1e6,
            totalMs: Number(ended - started) / 1e6,
            reads,
            events: text.split('\n\n').filter((e) => e.startsWith('data: ') || e.includes('\ndata: ')).length,
          });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
