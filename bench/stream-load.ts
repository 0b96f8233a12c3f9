import { Agent, request } from 'node:http';
import { Samples, percentiles } from './stats.ts';

// The load of many long streams at once, as its own process (`node dist/bench/stream-load.js`), so that
// reading thousands of sockets does not share an event loop with the benchmark's bookkeeping. It opens
// `streams` paced streams through one hop, evenly over `rampMs`, and while they are open sends a small
// whole request through the same hop (to the same provider) and straight to the upstream every
// `probeIntervalMs`: the difference is what the open streams cost a new caller. It prints one line,
// `result {json}`, when every stream has ended.

export interface StreamLoadSpec {
  streamUrl: string;
  streamBody: string;
  streams: number;
  rampMs: number;
  /** The small whole request through the hop, and the same one straight to the upstream. */
  probe: { url: string; body: string };
  directProbe: { url: string; body: string };
  probeIntervalMs: number;
  /** A stream that has not ended by then is counted as failed. */
  timeoutMs: number;
}

export interface StreamLoadResult {
  streams: number;
  /** 200, and the body ended with `[DONE]`. */
  completed: number;
  failed: number;
  /** Error codes and statuses of the failed streams, counted. */
  failures: Record<string, number>;
  ttfbMs: { p50: number; p99: number; max: number };
  durationMs: { p50: number; p99: number; max: number };
  probeMs: { p50: number; p99: number; max: number; count: number; failed: number };
  directProbeMs: { p50: number; p99: number; max: number; count: number; failed: number };
  /** From the first stream's start to the last one's end. */
  elapsedMs: number;
}

/** Keep-alive connections per probe target (hop and direct). */
const PROBE_SOCKETS = 8;

function summary(samples: Samples): { p50: number; p99: number; max: number } {
  const [p50, p99, max] = percentiles(samples.values(), [50, 99, 100]);
  return { p50: p50!, p99: p99!, max: max! };
}

export async function runStreamLoad(spec: StreamLoadSpec): Promise<StreamLoadResult> {
  // Every stream its own connection (as that many callers would have); probes on a small keep-alive pool.
  const streamAgent = new Agent({ keepAlive: false, maxSockets: Infinity });
  const probeAgent = new Agent({ keepAlive: true, maxSockets: PROBE_SOCKETS });
  const ttfb = new Samples();
  const durations = new Samples();
  const probes = new Samples();
  const directProbes = new Samples();
  const probeFailures = { hop: 0, direct: 0 };
  const failures: Record<string, number> = {};
  let completed = 0;
  let ended = 0;
  const fail = (why: string) => (failures[why] = (failures[why] ?? 0) + 1);

  const openStream = (): Promise<void> =>
    new Promise((done) => {
      const started = performance.now();
      let finished = false;
      const finish = (ok: boolean, why?: string) => {
        if (finished) return;
        finished = true;
        ended++;
        if (ok) {
          completed++;
          durations.push(performance.now() - started);
        } else fail(why ?? 'unknown');
        done();
      };
      const req = request(spec.streamUrl, { method: 'POST', agent: streamAgent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(spec.streamBody) } }, (res) => {
        let first = true;
        let tail = '';
        res.on('data', (chunk: Buffer) => {
          if (first) {
            first = false;
            ttfb.push(performance.now() - started);
          }
          tail = (tail + chunk.toString('latin1')).slice(-24);
        });
        res.on('end', () => finish(res.statusCode === 200 && tail.includes('[DONE]'), res.statusCode === 200 ? 'cut (no [DONE])' : `status ${res.statusCode}`));
        res.on('error', (err: NodeJS.ErrnoException) => finish(false, err.code ?? err.message));
      });
      req.setTimeout(spec.timeoutMs, () => req.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })));
      req.on('error', (err: NodeJS.ErrnoException) => finish(false, err.code ?? err.message));
      req.end(spec.streamBody);
    });

  const probeOnce = (target: { url: string; body: string }, into: Samples, kind: 'hop' | 'direct'): Promise<void> =>
    new Promise((done) => {
      const started = performance.now();
      const req = request(target.url, { method: 'POST', agent: probeAgent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(target.body) } }, (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode === 200) into.push(performance.now() - started);
          else probeFailures[kind]++;
          done();
        });
      });
      req.on('error', () => {
        probeFailures[kind]++;
        done();
      });
      req.end(target.body);
    });

  // The probes' keep-alive connections are open before the first stream, as a service's pooled client has
  // them: a probe times a request, not a new connection waiting behind the streams' in the hop's accept
  // queue (the streams' time to first byte shows that wait). They are sent from the first stream on.
  const warm = new Samples();
  await Promise.all(
    Array.from({ length: PROBE_SOCKETS }, () => [probeOnce(spec.probe, warm, 'hop'), probeOnce(spec.directProbe, warm, 'direct')]).flat(),
  );
  probeFailures.hop = probeFailures.direct = 0;
  const probing = setInterval(() => {
    void probeOnce(spec.probe, probes, 'hop');
    void probeOnce(spec.directProbe, directProbes, 'direct');
  }, spec.probeIntervalMs);
  const started = performance.now();
  const all: Array<Promise<void>> = [];
  // Opened in batches every 10 ms, so the rate is even and no timer per stream is needed.
  const perTick = Math.max(1, Math.round((spec.streams * 10) / Math.max(10, spec.rampMs)));
  await new Promise<void>((rampDone) => {
    const tick = setInterval(() => {
      for (let i = 0; i < perTick && all.length < spec.streams; i++) all.push(openStream());
      if (all.length >= spec.streams) {
        clearInterval(tick);
        rampDone();
      }
    }, 10);
  });
  await Promise.all(all);
  clearInterval(probing);
  const elapsedMs = performance.now() - started;
  streamAgent.destroy();
  probeAgent.destroy();
  const probeSummary = (s: Samples, failed: number) => ({ ...summary(s), count: s.length, failed });
  return {
    streams: spec.streams,
    completed,
    failed: ended - completed,
    failures,
    ttfbMs: summary(ttfb),
    durationMs: summary(durations),
    probeMs: probeSummary(probes, probeFailures.hop),
    directProbeMs: probeSummary(directProbes, probeFailures.direct),
    elapsedMs,
  };
}

// Run as a process: the spec comes as JSON in STREAM_LOAD_SPEC.
if (process.env.STREAM_LOAD_SPEC) {
  const result = await runStreamLoad(JSON.parse(process.env.STREAM_LOAD_SPEC) as StreamLoadSpec);
  process.stdout.write(`result ${JSON.stringify(result)}\n`);
}
