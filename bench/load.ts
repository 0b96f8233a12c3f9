import autocannon from 'autocannon';
import { Samples } from './stats.ts';

// One closed-loop load run with autocannon's programmatic API. Latencies are taken from its `response`
// event (hrtime, fractional milliseconds) because its own histogram keeps whole milliseconds, too coarse
// for a 0.3 ms budget.

export interface LoadSpec {
  url: string;
  method?: 'GET' | 'POST';
  body?: string;
  headers?: Record<string, string>;
  connections: number;
  /** Seconds; or `amount` requests in total. */
  durationS?: number;
  amount?: number;
}

export interface LoadResult {
  /** 2xx answers. */
  requests: number;
  /** Wall time of the run, seconds. */
  elapsedS: number;
  rps: number;
  /** 2xx latencies, ms. */
  latencies: Samples;
  errors: number;
  non2xx: number;
}

export function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const latencies = new Samples();
  let ok = 0;
  let non2xx = 0;
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: spec.url,
        method: spec.method ?? 'POST',
        headers: { ...(spec.body === undefined ? {} : { 'content-type': 'application/json' }), ...spec.headers },
        body: spec.body,
        connections: spec.connections,
        pipelining: 1,
        timeout: 30,
        ...(spec.amount ? { amount: spec.amount } : { duration: spec.durationS ?? 5 }),
      },
      (err, result) => {
        if (err) return reject(err);
        const elapsedS = Number(process.hrtime.bigint() - started) / 1e9;
        resolve({ requests: ok, elapsedS, rps: ok / elapsedS, latencies, errors: result.errors + result.timeouts, non2xx });
      },
    );
    instance.on('response', (_client, statusCode, _bytes, responseTimeMs) => {
      if (statusCode >= 200 && statusCode < 300) {
        ok++;
        latencies.push(responseTimeMs);
      } else {
        non2xx++;
      }
    });
  });
}

/** The request bodies the benchmark sends, compact JSON as SDKs send them. */
export const bodies = {
  chat: (model: string) => JSON.stringify({ model, messages: [{ role: 'user', content: 'Say hello in one short sentence.' }], max_tokens: 32 }),
  stream: (model: string) =>
    JSON.stringify({ model, messages: [{ role: 'user', content: 'Say hello in one short sentence.' }], max_tokens: 32, stream: true, stream_options: { include_usage: true } }),
  embeddings: (model: string) => JSON.stringify({ model, input: 'The quick brown fox jumps over the lazy dog.' }),
};
