import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { optionFrom } from './cli-options.ts';
import { gatewayCall, type Hop } from './hops.ts';
import { measureRun, newCell, summarize } from './measure.ts';
import { guardProcessExit, sleep, startGateway, startUpstream, type BenchProcess } from './processes.ts';
import { pairedDifference } from './targets.ts';

// `npm run bench:tracing [-- --rounds 7]`: what tracing costs a request. Three gateways on the shipped
// profile: `off` (no OTLP endpoint: the otel plugin is unconfigured), `unsampled` (an endpoint, but the
// sampler keeps no trace: the events and the plugin's bookkeeping without recording or export) and `on`
// (every span recorded and exported, protobuf, to a sink on loopback that answers 200); the same direct
// hit at 16 connections, round by round. The CPU is the gateway's own; the sink runs here.

guardProcessExit();
const rounds = optionFrom('rounds', 'BENCH_ROUNDS', 7);
const seconds = optionFrom('seconds', 'BENCH_SECONDS', 3);
const CONNECTIONS = optionFrom('connections', 'BENCH_CONNECTIONS', 16);

let exported = 0;
const sink = createServer((req, res) => {
  req.on('data', () => undefined);
  req.on('end', () => {
    exported += 1;
    res.writeHead(200, { 'content-type': 'application/x-protobuf' });
    res.end();
  });
});
await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', () => resolve()));
const sinkUrl = `http://127.0.0.1:${(sink.address() as AddressInfo).port}`;

const upstream = await startUpstream({});
const gateways: BenchProcess[] = [];
try {
  const openai = `${upstream.url}/v1`;
  gateways.push(await startGateway({ openai }));
  gateways.push(await startGateway({ openai }, { env: { OTEL_EXPORTER_OTLP_ENDPOINT: sinkUrl, OTEL_TRACES_SAMPLER: 'always_off' } }));
  gateways.push(await startGateway({ openai }, { env: { OTEL_EXPORTER_OTLP_ENDPOINT: sinkUrl, OTEL_BSP_SCHEDULE_DELAY: '1000' } }));
  const names = ['tracing-off', 'tracing-unsampled', 'tracing-on'];
  const runs = gateways.map((gateway, g) => {
    const hop: Hop = { name: 'gateway', base: gateway.url, pid: gateway.pid };
    return { hop, call: gatewayCall(hop, 'openai/bench-model'), cell: newCell(names[g]!, 'gateway', CONNECTIONS) };
  });
  for (const run of runs) await measureRun(run.hop, run.call, CONNECTIONS, 1);
  for (let round = 1; round <= rounds; round++) {
    for (const run of runs) {
      const figures = await measureRun(run.hop, run.call, CONNECTIONS, seconds, run.cell);
      process.stderr.write(`  ${run.cell.scenario} round ${round}: ${Math.round(figures.rps)} req/s${figures.errors + figures.non2xx ? ` (${figures.errors + figures.non2xx} failed)` : ''}\n`);
      await sleep(300);
    }
  }
  const [off, unsampled, on] = runs.map((r) => summarize(r.cell));
  const added = (other: typeof off) => (pairedDifference(other!.roundsCpuMsPerRequest, off!.roundsCpuMsPerRequest)! * 1000).toFixed(1);
  const line = (name: string, cell: typeof off) => `${name} ${(cell!.cpuMsPerRequest * 1000).toFixed(1)} µs/request, p50 ${cell!.p50Ms.toFixed(2)} ms`;
  process.stdout.write(`${line('off', off)}\n${line('unsampled', unsampled)} (added, median of ${rounds} paired rounds: ${added(unsampled)} µs)\n${line('on', on)} (added: ${added(on)} µs); ${exported} export requests reached the sink; ${CONNECTIONS} connections\n`);
} finally {
  for (const gateway of gateways) await gateway.stop();
  await upstream.stop();
  sink.close();
}
