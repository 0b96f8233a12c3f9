import { existsSync, readFileSync } from 'node:fs';
import { SourceMap, type SourceMapPayload } from 'node:module';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { optionFrom, stringOption } from './cli-options.ts';
import { PROJECT_ROOT } from './processes.ts';

// Reads a V8 .cpuprofile (`node --cpu-prof`) and prints where the time went: the top functions by self
// time with file:line, the top project functions (core/, plugins/) by inclusive time, and self time by
// package. `--from`/`--to` (µs on the monotonic clock, as process.hrtime) keep only the samples of a
// window, so start-up and warm-up do not blur a profile taken under load.
//
// The benchmark runs the compiled tree (dist/); positions there are mapped back to the TypeScript lines
// through the source maps the build writes.
//
//   node --import tsx bench/cpu-profile-top.ts /tmp/prof/…/CPU….cpuprofile [--top 25] [--from µs --to µs]

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface FunctionCost {
  name: string;
  location: string;
  selfMs: number;
  totalMs: number;
}

export interface ProfileSummary {
  /** Sampled time in the window, idle excluded. */
  busyMs: number;
  idleMs: number;
  functions: FunctionCost[];
  /** Self time by package / project folder / Node internals. */
  groups: Array<{ group: string; selfMs: number }>;
}

const ROOT_URL = pathToFileURL(`${PROJECT_ROOT}/`).href;

/** Maps a generated position (0-based line and column) to the original file (project-relative) and line (1-based). */
export type PositionMapper = (url: string, line: number, column: number) => { file: string; line: number } | undefined;

const DIST_URL = `${ROOT_URL}dist/`;

/**
 * Maps positions in the compiled tree (dist/, what the benchmark runs) back to the TypeScript sources
 * through the `.js.map` files the build writes beside each file.
 */
export function compiledSourceMaps(): PositionMapper {
  const maps = new Map<string, SourceMap | null>();
  return (url, line, column) => {
    if (!url.startsWith(DIST_URL)) return undefined;
    let map = maps.get(url);
    if (map === undefined) {
      const mapPath = `${fileURLToPath(url)}.map`;
      map = existsSync(mapPath) ? new SourceMap(JSON.parse(readFileSync(mapPath, 'utf8')) as SourceMapPayload) : null;
      maps.set(url, map);
    }
    if (!map) return undefined;
    const entry = map.findEntry(line, column) as { originalSource?: string; originalLine?: number };
    if (entry.originalLine === undefined || !entry.originalSource) return undefined;
    const source = entry.originalSource.startsWith('file://') ? fileURLToPath(entry.originalSource) : resolve(dirname(fileURLToPath(url)), entry.originalSource);
    return { file: relative(PROJECT_ROOT, source), line: entry.originalLine + 1 };
  };
}

function location(frame: CallFrame, mapPosition?: PositionMapper): string {
  if (!frame.url) return '';
  const original = mapPosition?.(frame.url, frame.lineNumber, frame.columnNumber);
  if (original) return `${original.file}:${original.line}`;
  const file = frame.url.startsWith(ROOT_URL) ? frame.url.slice(ROOT_URL.length) : frame.url.startsWith('file://') ? fileURLToPath(frame.url) : frame.url;
  return `${file}:${frame.lineNumber + 1}`;
}

function groupOf(frame: CallFrame): string {
  const { url, functionName } = frame;
  if (!url) return functionName.startsWith('(') ? functionName : '(native / V8 builtins)';
  if (url.startsWith('node:')) return url.split('/').slice(0, 2).join('/');
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const rest = url.slice(modules + '/node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (url.startsWith(DIST_URL)) return url.slice(DIST_URL.length).split('/').slice(0, 2).join('/');
  if (url.startsWith(ROOT_URL)) return url.slice(ROOT_URL.length).split('/').slice(0, 2).join('/');
  return url;
}

export function summarizeProfile(profile: CpuProfile, window: { fromUs?: number; toUs?: number } = {}, mapPosition?: PositionMapper): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

  const self = new Map<string, FunctionCost>();
  const groups = new Map<string, number>();
  let busyUs = 0;
  let idleUs = 0;
  let at = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i] ?? 0;
    // A sample stands for the interval up to the next one.
    const weight = profile.timeDeltas[i + 1] ?? 0;
    if ((window.fromUs !== undefined && at < window.fromUs) || (window.toUs !== undefined && at > window.toUs)) continue;
    const node = byId.get(profile.samples[i]!)!;
    if (node.callFrame.functionName === '(idle)') {
      idleUs += weight;
      continue;
    }
    busyUs += weight;
    const group = groupOf(node.callFrame);
    groups.set(group, (groups.get(group) ?? 0) + weight);
    // Self time to the leaf; inclusive time once to every distinct function on the stack (recursion counts once).
    const seen = new Set<string>();
    for (let id: number | undefined = node.id, leaf = true; id !== undefined; id = parent.get(id), leaf = false) {
      const frame = byId.get(id)!.callFrame;
      if (frame.functionName === '(root)') break;
      const key = `${frame.functionName}@${frame.url}:${frame.lineNumber}:${frame.columnNumber}`;
      let cost = self.get(key);
      if (!cost) self.set(key, (cost = { name: frame.functionName || '(anonymous)', location: location(frame, mapPosition), selfMs: 0, totalMs: 0 }));
      if (leaf) cost.selfMs += weight / 1000;
      if (!seen.has(key)) {
        seen.add(key);
        cost.totalMs += weight / 1000;
      }
    }
  }
  return {
    busyMs: busyUs / 1000,
    idleMs: idleUs / 1000,
    functions: [...self.values()],
    groups: [...groups].map(([group, us]) => ({ group, selfMs: us / 1000 })).sort((a, b) => b.selfMs - a.selfMs),
  };
}

export function formatProfile(summary: ProfileSummary, top = 25): string {
  const pct = (ms: number) => `${((ms / summary.busyMs) * 100).toFixed(1).padStart(5)}%`;
  const row = (f: FunctionCost, ms: number) => `${ms.toFixed(0).padStart(7)} ms ${pct(ms)}  ${f.name}  ${f.location}`;
  const lines = [`busy ${summary.busyMs.toFixed(0)} ms, idle ${summary.idleMs.toFixed(0)} ms (percentages are of busy time)`, '', `top ${top} functions by self time:`];
  for (const f of [...summary.functions].sort((a, b) => b.selfMs - a.selfMs).slice(0, top)) lines.push(row(f, f.selfMs));
  lines.push('', `top ${top} project functions (core/, plugins/) by inclusive time:`);
  const project = summary.functions.filter((f) => /^(core|plugins)\//.test(f.location));
  for (const f of project.sort((a, b) => b.totalMs - a.totalMs).slice(0, top)) lines.push(row(f, f.totalMs));
  lines.push('', 'self time by package / folder:');
  for (const g of summary.groups.slice(0, 20)) lines.push(`${g.selfMs.toFixed(0).padStart(7)} ms ${pct(g.selfMs)}  ${g.group}`);
  return lines.join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const file = process.argv.slice(2).find((a) => a.endsWith('.cpuprofile'));
  if (!file) {
    process.stderr.write('usage: node --import tsx bench/cpu-profile-top.ts FILE.cpuprofile [--top 25] [--from µs] [--to µs]\n');
    process.exit(2);
  }
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const from = stringOption('from');
  const to = stringOption('to');
  const summary = summarizeProfile(profile, { fromUs: from ? Number(from) : undefined, toUs: to ? Number(to) : undefined }, compiledSourceMaps());
  process.stdout.write(`${formatProfile(summary, optionFrom('top', 'PROFILE_TOP', 25))}\n`);
}
