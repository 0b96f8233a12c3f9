import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import type { AttemptEndEvent, EventBus, RequestEndEvent, RequestStartEvent } from '../core/index.ts';
import { createEventBus } from '../core/events/event-bus.ts';
import { traceRequests } from '../plugins/otel/request-spans.ts';
import { createTracerProvider } from '../plugins/otel/tracer-provider.ts';
import { decodeProtobuf } from '../test/helpers/otlp-decode.ts';
import { optionFrom } from './cli-options.ts';
import { gatewayCall } from './hops.ts';
import { runLoad } from './load.ts';
import { guardProcessExit, sleep, startGateway, startUpstream, type BenchProcess } from './processes.ts';
import { median } from './stats.ts';
import { pairedDifference } from './targets.ts';

// `npm run bench:tracing [-- --rounds 9 --seconds 3 --connections 16]`: what tracing costs a request, in CPU.
//
// 1. In this process, without HTTP: the events of one chat request with one attempt (request.start,
//    attempt.start, attempt.end, request.end) through the otel plugin, against the SDK floor — the same two
//    spans with the same attributes and the same upstream traceparent, made by hand with the SDK — both
//    unsampled (always_off) and sampled, each with the plugin's batch processor and OTLP/protobuf exporter
//    to a sink here (every round flushed, so serialization and export are counted). Rounds interleaved.
//
// 2. Three gateways on the shipped profile: `off` (no OTLP endpoint: the otel plugin is unconfigured),
//    `unsampled` (an endpoint, but the sampler keeps no trace) and `on` (every span recorded and exported,
//    protobuf, to a sink on loopback that answers 200); the same direct hit at the same connections,
//    round by round, the order rotated each round. The CPU is the gateway process's own (every thread's
//    run time from /proc/<pid>/task/*/schedstat, in ns), read after the load and a pause as long as the
//    batch delay, so the spans a round made are serialized and exported within that round (the same pause
//    for all three). The sink counts the spans it received against two per answered request.

guardProcessExit();
const rounds = optionFrom('rounds', 'BENCH_ROUNDS', 9);
const seconds = optionFrom('seconds', 'BENCH_SECONDS', 3);
const CONNECTIONS = optionFrom('connections', 'BENCH_CONNECTIONS', 16);
const IN_PROCESS_REQUESTS = optionFrom('requests', 'BENCH_REQUESTS', 20_000);
const BATCH_DELAY_MS = 500;
const ANSWER = { id: 'chatcmpl-bench', model: 'bench-model', choices: [{ index: 0, message: { role: 'assistant', content: 'Hello there!' }, finish_reason: 'stop' }], usage: { prompt_tokens: 12, completion_tokens: 7, total_tokens: 19 } };
const BODY = { model: 'openai/bench-model', messages: [{ role: 'user', content: 'Say hello in one short sentence.' }], max_tokens: 32 };
const FLOOR_ATTEMPT_ATTRIBUTES = {
  'gen_ai.operation.name': 'chat',
  'gen_ai.provider.name': 'openai',
  'gen_ai.request.model': 'bench-model',
  'gen_ai.request.max_tokens': 32,
  'gen_ai.response.model': 'bench-model',
  'gen_ai.usage.input_tokens': 12,
  'gen_ai.usage.output_tokens': 7,
  'gen_ai.response.finish_reasons': ['stop'],
};
const FLOOR_REQUEST_ATTRIBUTES = {
  'http.request.method': 'POST',
  'http.route': '/v1/chat/completions',
  'http.response.status_code': 200,
  'mana_llm.requested_model': 'openai/bench-model',
  'mana_llm.caller': 'default',
  'mana_llm.cache': 'miss',
  'mana_llm.resolved_model': 'openai/bench-model',
};

const us = (value: number) => value.toFixed(1);

let exportBodies: Buffer[] = [];
const sink = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    exportBodies.push(Buffer.concat(chunks));
    res.writeHead(200, { 'content-type': 'application/x-protobuf' });
    res.end();
  });
});
await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', () => resolve()));
const sinkUrl = `http://127.0.0.1:${(sink.address() as AddressInfo).port}`;
/** The spans the sink received since the last call. */
function spansReceived(): number {
  const bodies = exportBodies;
  exportBodies = [];
  return bodies.reduce((n, body) => n + decodeProtobuf(body).length, 0);
}

try {
  await inProcess();
  await gateways();
} finally {
  sink.close();
}

async function inProcess(): Promise<void> {
  const propagator = new W3CTraceContextPropagator();
  const provider = (sampler: string | undefined) => createTracerProvider({ endpoint: sinkUrl, sampler, scheduleDelayMs: BATCH_DELAY_MS }, { serviceVersion: '0.1.0', instanceId: 'bench' });
  const plugin = (sampler: string | undefined) => {
    const tracerProvider = provider(sampler);
    const events = createEventBus((_event, err) => {
      throw err;
    });
    traceRequests(events, tracerProvider.getTracer('mana-llm', '0.1.0'), propagator, false);
    return { run: (id: string) => emitRequest(events, id), flush: () => tracerProvider.forceFlush() };
  };
  const floor = (sampler: string | undefined) => {
    const tracerProvider = provider(sampler);
    const tracer = tracerProvider.getTracer('mana-llm', '0.1.0');
    const setter = { set: (carrier: Record<string, string>, key: string, value: string) => void (carrier[key] = value) };
    return {
      flush: () => tracerProvider.forceFlush(),
      run: () => {
        const server = tracer.startSpan('POST /v1/chat/completions', { kind: SpanKind.SERVER }, ROOT_CONTEXT);
        const context = trace.setSpan(ROOT_CONTEXT, server);
        const client = tracer.startSpan('chat openai/bench-model', { kind: SpanKind.CLIENT }, context);
        propagator.inject(trace.setSpan(context, client), {}, setter);
        client.setAttributes(FLOOR_ATTEMPT_ATTRIBUTES);
        client.end();
        server.setAttributes(FLOOR_REQUEST_ATTRIBUTES);
        server.end();
      },
    };
  };
  // `events`: the same events emitted with nobody listening, subtracted from the others.
  const modes = {
    events: { run: (id: string) => emitRequest(createEventBus(() => undefined), id), flush: async () => undefined },
    'sdk floor, unsampled': floor('always_off'),
    'plugin, unsampled': plugin('always_off'),
    'sdk floor, sampled': floor(undefined),
    'plugin, sampled': plugin(undefined),
  };
  const perRequest = new Map<string, number[]>(Object.keys(modes).map((name) => [name, []]));
  let id = 0;
  for (let round = 0; round <= rounds; round++) {
    for (const [name, mode] of Object.entries(modes)) {
      await mode.flush();
      spansReceived();
      const before = process.cpuUsage();
      // 16 requests a turn of the event loop, as 16 connections would give; the batch processor's timer runs between.
      for (let i = 0; i < IN_PROCESS_REQUESTS; i++) {
        mode.run(`r${id++}`);
        if (i % 16 === 15) await nextTurn();
      }
      await mode.flush();
      const used = process.cpuUsage(before);
      const spans = spansReceived();
      if (name.endsWith(', sampled') && spans !== 2 * IN_PROCESS_REQUESTS) throw new Error(`${name}: the sink received ${spans} spans of ${2 * IN_PROCESS_REQUESTS}`);
      // Round 0 warms up.
      if (round > 0) perRequest.get(name)!.push((used.user + used.system) / IN_PROCESS_REQUESTS);
    }
  }
  const events = perRequest.get('events')!;
  process.stdout.write(`in this process, ${IN_PROCESS_REQUESTS} requests a round, CPU per request added to the events alone (median of ${rounds} paired rounds):\n`);
  for (const [name, values] of perRequest) if (name !== 'events') process.stdout.write(`  ${name.padEnd(22)} ${us(pairedDifference(values, events)!)} µs\n`);
}

async function gateways(): Promise<void> {
  const upstream = await startUpstream({});
  const started: BenchProcess[] = [];
  try {
    const openai = `${upstream.url}/v1`;
    started.push(await startGateway({ openai }));
    started.push(await startGateway({ openai }, { env: { OTEL_EXPORTER_OTLP_ENDPOINT: sinkUrl, OTEL_TRACES_SAMPLER: 'always_off' } }));
    started.push(await startGateway({ openai }, { env: { OTEL_EXPORTER_OTLP_ENDPOINT: sinkUrl, OTEL_BSP_SCHEDULE_DELAY: String(BATCH_DELAY_MS) } }));
    const runs = ['off', 'unsampled', 'on'].map((name, g) => {
      const gateway = started[g]!;
      return { name, pid: gateway.pid, call: gatewayCall({ name: 'gateway', base: gateway.url, pid: gateway.pid }, 'openai/bench-model'), cpuUs: [] as number[], rps: [] as number[], p50: [] as number[] };
    });
    for (const run of runs) await runLoad({ url: run.call.url, body: run.call.body, connections: CONNECTIONS, durationS: 1 });
    await sleep(BATCH_DELAY_MS + 200);
    spansReceived();
    let lost = 0;
    for (let round = 1; round <= rounds; round++) {
      // Rotated, so that no gateway always runs first or after the same one.
      for (let k = 0; k < runs.length; k++) {
        const run = runs[(round + k) % runs.length]!;
        const before = cpuNs(run.pid);
        const load = await runLoad({ url: run.call.url, body: run.call.body, connections: CONNECTIONS, durationS: seconds });
        await sleep(BATCH_DELAY_MS + 200);
        const cpu = cpuNs(run.pid) - before;
        const spans = spansReceived();
        if (run.name === 'on') lost += Math.max(0, 2 * load.requests - spans);
        run.cpuUs.push(cpu / 1000 / Math.max(1, load.requests));
        run.rps.push(load.rps);
        run.p50.push(load.latencies.percentile(50));
        const failed = load.errors + load.non2xx;
        process.stderr.write(`  ${run.name} round ${round}: ${Math.round(load.rps)} req/s, ${us(cpu / 1000 / Math.max(1, load.requests))} µs CPU/request${failed ? ` (${failed} failed)` : ''}\n`);
      }
    }
    const [off, unsampled, on] = runs;
    const line = (run: (typeof runs)[number], added: string) =>
      `  ${run.name.padEnd(9)} ${us(median(run.cpuUs))} µs CPU/request${added}, ${Math.round(median(run.rps))} req/s, p50 ${median(run.p50).toFixed(2)} ms\n`;
    const added = (run: (typeof runs)[number]) => ` (added: ${us(pairedDifference(run.cpuUs, off!.cpuUs)!)} µs)`;
    process.stdout.write(
      `gateways, ${CONNECTIONS} connections, ${rounds} rounds of ${seconds} s (medians; added = median of the paired rounds' differences to off):\n` +
        line(off!, '') +
        line(unsampled!, added(unsampled!)) +
        line(on!, added(on!)) +
        `  spans the sink did not receive from on: ${lost}\n`,
    );
  } finally {
    for (const gateway of started) await gateway.stop();
    await upstream.stop();
  }
}

/** CPU time every thread of a process has run, ns (the scheduler's own count, not clock ticks). */
function cpuNs(pid: number): number {
  let total = 0;
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    try {
      total += Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // A thread that ended between the listing and the read.
    }
  }
  return total;
}

/** The events the gateway emits for one answered chat request with one attempt, built as the core builds them. */
function emitRequest(events: EventBus, requestId: string): void {
  const start: RequestStartEvent = { requestId, route: 'chat', requestedModel: 'openai/bench-model', stream: false, traceparent: undefined, tracestate: undefined, maxTokens: 32, temperature: undefined, body: BODY };
  events.emit('request.start', start);
  events.emit('attempt.start', { requestId, attempt: 1, operation: 'chat', provider: 'openai', model: 'bench-model', resolved: 'openai/bench-model', stream: false, upstreamHeaders: {} });
  const end: AttemptEndEvent = { requestId, attempt: 1, provider: 'openai', model: 'bench-model', resolved: 'openai/bench-model', ok: true, responseModel: 'bench-model', usage: ANSWER.usage, finishReasons: ['stop'], answer: ANSWER };
  events.emit('attempt.end', end);
  const report: RequestEndEvent = {
    requestId,
    caller: 'default',
    route: 'chat',
    requestedModel: 'openai/bench-model',
    stream: false,
    requestedProvider: 'openai',
    resolved: 'openai/bench-model',
    provider: 'openai',
    model: 'bench-model',
    status: 200,
    errorCode: undefined,
    durationMs: 1.2,
    ttftMs: undefined,
    usage: ANSWER.usage,
    attempts: [],
    clientAborted: false,
    cache: 'miss',
    costUsd: undefined,
    savedUsd: undefined,
    trace: start.trace,
  };
  events.emit('request.end', report);
}
