import { cellOf, type Figures } from './figures.ts';
import { HOP_NAMES } from './hops.ts';
import type { CellSummary } from './measure.ts';
import type { TargetResult } from './targets.ts';

// The benchmark's printed report: one plain-text table per part, ratios against direct and floor beside
// each figure, and the targets with pass/fail at the end.

function render(title: string, headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  // Text columns (the first two) align left, figures right.
  const line = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  return [title, line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

const ms = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? '-' : v.toFixed(2));
const plus = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? '-' : `${v >= 0 ? '+' : ''}${v.toFixed(2)}`);
const int = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? '-' : Math.round(v).toString());
const ratio = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined || !b ? '-' : `${(a / b).toFixed(2)}x`);

function loadRows(cells: CellSummary[], scenario: string, connections: number[]): string[][] {
  const rows: string[][] = [];
  for (const c of connections) {
    const direct = cellOf(cells, scenario, 'direct', c);
    const floor = cellOf(cells, scenario, 'floor', c);
    for (const hop of HOP_NAMES) {
      const cell = cellOf(cells, scenario, hop, c);
      if (!cell) continue;
      rows.push([
        String(c),
        hop,
        int(cell.rps),
        hop === 'direct' ? '' : ratio(cell.rps, direct?.rps),
        hop === 'gateway' ? ratio(cell.rps, floor?.rps) : '',
        ms(cell.p50Ms),
        ms(cell.p90Ms),
        ms(cell.p99Ms),
        hop === 'direct' ? '' : plus(direct && cell.p50Ms - direct.p50Ms),
        hop === 'direct' ? '' : plus(direct && cell.p99Ms - direct.p99Ms),
        cell.cpuMsPerRequest.toFixed(3),
        cell.roundsRps.map((r) => Math.round(r)).join(' / '),
        String(cell.upstreamConnections),
        cell.errors + cell.non2xx > 0 ? `${cell.errors} err, ${cell.non2xx} non-2xx` : '',
      ]);
    }
  }
  return rows;
}

const LOAD_HEADERS = ['conns', 'hop', 'req/s', 'vs direct', 'vs floor', 'p50 ms', 'p90 ms', 'p99 ms', '+p50', '+p99', 'cpu ms/req', 'req/s by round', 'upstream conns', 'failures'];

export function formatReport(f: Figures, targets: TargetResult[], meta: { title: string; connections: number[]; slowUpstreamMs: number }): string {
  const parts: string[] = [meta.title];
  parts.push(render('Chat completions, non-streaming, 0 ms upstream (+p50/+p99: over direct; cpu: the hop\'s own process; upstream conns: connections the upstream accepted over the rounds)', LOAD_HEADERS, loadRows(f.chat, 'chat-0ms', meta.connections)));
  parts.push(render(`Chat completions, non-streaming, ${meta.slowUpstreamMs} ms upstream`, LOAD_HEADERS, loadRows(f.chat, `chat-${meta.slowUpstreamMs}ms`, meta.connections)));
  parts.push(render('Embeddings, 0 ms upstream', LOAD_HEADERS, loadRows(f.embeddings, 'embeddings', [...new Set(f.embeddings.map((c) => c.connections))])));

  const direct = f.streams.fast.find((s) => s.hop === 'direct');
  const floor = f.streams.fast.find((s) => s.hop === 'floor');
  parts.push(
    render(
      `Streams of ${f.streams.chunks} chunks, sequential (fast: 0 ms between chunks; paced: ${f.streams.pacedChunkDelayMs} ms)`,
      ['hop', '', 'streams', 'ttfb p50', 'ttfb p90', '+ttfb vs direct', '+ttfb vs floor', 'total p50', '+total vs direct', 'paced total p50', 'paced reads p50', 'upstream conns / 20 streams'],
      f.streams.fast.map((s) => {
        const paced = f.streams.paced.find((p) => p.hop === s.hop);
        return [
          s.hop,
          '',
          String(s.streams),
          ms(s.ttfbP50Ms),
          ms(s.ttfbP90Ms),
          s.hop === 'direct' ? '' : plus(direct && s.ttfbP50Ms - direct.ttfbP50Ms),
          s.hop === 'gateway' ? plus(floor && s.ttfbP50Ms - floor.ttfbP50Ms) : '',
          ms(s.totalP50Ms),
          s.hop === 'direct' ? '' : plus(direct && s.totalP50Ms - direct.totalP50Ms),
          ms(paced?.totalP50Ms),
          paced ? String(paced.readsP50) : '-',
          String(f.streams.upstreamConnections[s.hop] ?? '-'),
        ];
      }),
    ),
  );

  const m = f.memory;
  parts.push(
    render(
      'Memory (RSS of the hop\'s process; direct = the upstream)',
      ['hop', '', 'peak under 64 conns MB'],
      HOP_NAMES.map((hop) => [hop, '', m.peakRssUnder64Mb[hop]?.toFixed(1) ?? '-']),
    ) +
      '\n' +
      render(
        `Gateway at rest, after warm-up and after ${m.soakRequests} more requests (growth is of the RSS after a full GC)`,
        ['reading', '', 'idle RSS MB', 'RSS after GC MB', 'heap used after GC MB'],
        [
          ['after warm-up', '', m.afterWarmup.idleRssMb.toFixed(1), m.afterWarmup.rssMb.toFixed(1), m.afterWarmup.heapUsedMb.toFixed(1)],
          [`after ${m.soakRequests} requests`, '', m.afterSoak.idleRssMb.toFixed(1), m.afterSoak.rssMb.toFixed(1), m.afterSoak.heapUsedMb.toFixed(1)],
          ['growth', '', `${plus(((m.afterSoak.idleRssMb - m.afterWarmup.idleRssMb) / m.afterWarmup.idleRssMb) * 100)}%`, `${plus(m.growthPct)}%`, `${plus(((m.afterSoak.heapUsedMb - m.afterWarmup.heapUsedMb) / m.afterWarmup.heapUsedMb) * 100)}%`],
        ],
      ),
  );

  const aliasConns = [...new Set(f.aliasPaths.map((c) => c.connections))];
  const aliasRows: string[][] = [];
  for (const c of aliasConns) {
    const hit = cellOf(f.aliasPaths, 'direct-hit', 'gateway', c);
    for (const path of ['direct-hit', 'alias', 'open-circuit', 'responses']) {
      const cell = cellOf(f.aliasPaths, path, 'gateway', c);
      if (!cell) continue;
      aliasRows.push([
        String(c),
        path,
        int(cell.rps),
        path === 'direct-hit' ? '' : ratio(cell.rps, hit?.rps),
        ms(cell.p50Ms),
        ms(cell.p99Ms),
        path === 'direct-hit' ? '' : plus(hit && cell.p50Ms - hit.p50Ms),
        cell.cpuMsPerRequest.toFixed(3),
        cell.roundsRps.map((r) => Math.round(r)).join(' / '),
      ]);
    }
  }
  parts.push(
    render(
      'Gateway model paths, 0 ms upstream (direct-hit: openai/bench-model; alias: mana/bench-alias; open-circuit: mana/bench-fallback, first entry\'s circuit open; responses: the direct hit through POST /v1/responses)',
      ['conns', 'path', 'req/s', 'vs hit', 'p50 ms', 'p99 ms', '+p50', 'cpu ms/req', 'req/s by round'],
      aliasRows,
    ),
  );

  const plain = cellOf(f.callerPaths, 'caller-plain', 'gateway', 16);
  const callerRows = ['caller-plain', 'caller-limited'].flatMap((path) => {
    const cell = cellOf(f.callerPaths, path, 'gateway', 16);
    if (!cell) return [];
    const extra = path === 'caller-plain' || !plain ? '' : plus((cell.cpuMsPerRequest - plain.cpuMsPerRequest) * 1000);
    return [['16', path, int(cell.rps), path === 'caller-plain' ? '' : ratio(cell.rps, plain?.rps), ms(cell.p50Ms), ms(cell.p99Ms), cell.cpuMsPerRequest.toFixed(3), extra, cell.roundsRps.map((r) => Math.round(r)).join(' / ')]];
  });
  if (callerRows.length > 0) {
    parts.push(
      render(
        'Callers, 0 ms upstream, a gateway with a callers file (caller-plain: a key without limits; caller-limited: the same hit by a caller with every limit, a budget and a models list)',
        ['conns', 'path', 'req/s', 'vs plain', 'p50 ms', 'p99 ms', 'cpu ms/req', '+cpu µs', 'req/s by round'],
        callerRows,
      ),
    );
  }

  const rs = f.responsesStreams;
  parts.push(
    render(
      `Gateway streams of ${f.streams.chunks} chunks, chat and Responses API alternated (ttfb: to the first chunk / the first event)`,
      ['api', '', 'streams', 'ttfb p50', 'ttfb p90', 'total p50', 'total p90', 'ttfb vs chat'],
      [
        ['chat', '', String(rs.chat.streams), ms(rs.chat.ttfbP50Ms), ms(rs.chat.ttfbP90Ms), ms(rs.chat.totalP50Ms), ms(rs.chat.totalP90Ms), ''],
        ['responses', '', String(rs.responses.streams), ms(rs.responses.ttfbP50Ms), ms(rs.responses.ttfbP90Ms), ms(rs.responses.totalP50Ms), ms(rs.responses.totalP90Ms), ratio(rs.responses.ttfbP50Ms, rs.chat.ttfbP50Ms)],
      ],
    ),
  );

  const many = f.manyStreams;
  parts.push(
    render(
      `${many.streams} concurrent streams through one provider: ${many.chunks} chunks ${many.chunkDelayMs} ms apart, opened over ${many.rampMs} ms; a whole request to the same provider every ${many.probeIntervalMs} ms meanwhile (+probe: over a direct probe sent at the same moment)`,
      ['hop', '', 'completed', 'ttfb p50', 'ttfb p99', 'probe p50', 'probe p99', '+probe p99', 'peak RSS MB', 'KB / stream', 'cpu µs / chunk', 'loop busy peak', 's ≥ 90 %', 'loop delay p99 ms', 'loop delay max ms'],
      many.hops.map((h) => [
        h.hop,
        '',
        `${h.completed} / ${h.streams}`,
        ms(h.ttfbMs.p50),
        ms(h.ttfbMs.p99),
        ms(h.probeMs.p50),
        ms(h.probeMs.p99),
        plus(h.probeMs.p99 - h.directProbeMs.p99),
        h.peakRssMb.toFixed(1),
        h.rssPerStreamKb.toFixed(1),
        h.cpuUsPerChunk.toFixed(1),
        `${Math.round(h.loopBusyPeak * 100)} %`,
        String(h.loopBusySeconds),
        h.eventLoopDelayP99Ms === undefined ? '-' : ms(h.eventLoopDelayP99Ms),
        h.eventLoopDelayMaxMs === undefined ? '-' : ms(h.eventLoopDelayMaxMs),
      ]),
    ),
  );

  parts.push(
    render(
      'Targets (issues #9 and #15)',
      ['result', 'target', 'value', 'limit'],
      targets.map((t) => [t.pass ? 'PASS' : 'FAIL', t.description, `${Number.isNaN(t.value) ? '-' : t.value.toFixed(t.unit === 'reads' ? 0 : 2)} ${t.unit}`, `${t.comparison} ${t.limit} ${t.unit}`]),
    ),
  );
  return parts.join('\n\n');
}
