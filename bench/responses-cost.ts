import { optionFrom } from './cli-options.ts';
import { call, gatewayCall, prefixes, responsesCall, type Hop } from './hops.ts';
import { measureRun, newCell, summarize, summarizeStreams } from './measure.ts';
import { FULL } from './plan.ts';
import { guardProcessExit, sleep, startGateway, startUpstream } from './processes.ts';
import { streamAgent, timeStream, type StreamTiming } from './stream-timing.ts';
import { pairedRatio } from './targets.ts';

// `npm run bench:responses [-- --rounds 9 --streams 1000]`: the Responses API's cost over chat, alone and
// with more rounds than the full benchmark gives it — CPU per whole answer (paired rounds at 16
// connections) and the time to a stream's first event (streams alternated one by one) — since a ±10 %
// target is within what a shared machine's noise moves a few rounds by. Both paths ask the same upstream
// for the same answer through the same gateway process; which one goes first alternates from round to
// round (and from pair to pair of streams), so that neither always runs on a warmer or a quieter machine.

guardProcessExit();
const rounds = optionFrom('rounds', 'BENCH_ROUNDS', 9);
const streams = optionFrom('streams', 'BENCH_STREAMS', 1000);
const plan = FULL;
const upstream = await startUpstream({ chunks: plan.chunks });
const prefix = prefixes(plan.slowUpstreamMs, plan.pacedChunkDelayMs, plan.manyStreams);
const gateway = await startGateway({ openai: `${upstream.url}${prefix.fast}/v1` });
try {
  const hop: Hop = { name: 'gateway', base: gateway.url, pid: gateway.pid };
  const paths = [
    ['chat', gatewayCall(hop, 'openai/bench-model')],
    ['responses', responsesCall(hop, 'openai/bench-model', false)],
  ] as const;
  const cells = paths.map(([path]) => newCell(path, 'gateway', 16));
  for (const [, target] of paths) await measureRun(hop, target, 16, 1);
  for (let round = 1; round <= rounds; round++) {
    const order = round % 2 === 1 ? [0, 1] : [1, 0];
    for (const i of order) {
      const [path, target] = paths[i]!;
      const run = await measureRun(hop, target, 16, plan.aliasLoadS, cells[i]);
      process.stderr.write(`  ${path} c=16 round ${round}: ${Math.round(run.rps)} req/s, ${((run.cpuMs / run.requests) * 1000).toFixed(1)} µs CPU per request\n`);
      await sleep(plan.settleMs);
    }
  }
  const [chat, responses] = cells.map(summarize);
  const cpu = pairedRatio(responses!.roundsCpuMsPerRequest, chat!.roundsCpuMsPerRequest)!;
  const roundRatios = responses!.roundsCpuMsPerRequest.map((r, i) => (r / chat!.roundsCpuMsPerRequest[i]!).toFixed(3));

  const chatStream = call(hop, 'stream', 'fast', prefix);
  const responsesStream = responsesCall(hop, 'openai/bench-model', true);
  const agents = [streamAgent(), streamAgent()];
  const timings = { chat: [] as StreamTiming[], responses: [] as StreamTiming[] };
  for (let i = 0; i < streams; i++) {
    const chatFirst = i % 2 === 0;
    if (chatFirst) timings.chat.push(await timeStream(chatStream.url, chatStream.body, agents[0]!));
    timings.responses.push(await timeStream(responsesStream.url, responsesStream.body, agents[1]!));
    if (!chatFirst) timings.chat.push(await timeStream(chatStream.url, chatStream.body, agents[0]!));
  }
  agents.forEach((a) => a.destroy());
  const chatTtfb = summarizeStreams('gateway', timings.chat).ttfbP50Ms;
  const responsesTtfb = summarizeStreams('gateway', timings.responses).ttfbP50Ms;
  process.stdout.write(
    `whole answer: chat ${(chat!.cpuMsPerRequest * 1000).toFixed(1)} µs, Responses ${(responses!.cpuMsPerRequest * 1000).toFixed(1)} µs CPU per request; ratio ${cpu.toFixed(3)} (median of ${rounds} paired rounds: ${roundRatios.join(' ')})\n` +
      `stream: first chunk ${chatTtfb.toFixed(3)} ms, first event ${responsesTtfb.toFixed(3)} ms (p50 of ${streams} each, alternated); ratio ${(responsesTtfb / chatTtfb).toFixed(3)}\n`,
  );
} finally {
  await gateway.stop();
  await upstream.stop();
}
