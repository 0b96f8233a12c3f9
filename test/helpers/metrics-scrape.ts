import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

// Scrapes a gateway's /metrics and reads it back with parse-prometheus-text-format, a Prometheus
// text-format parser written against the format's spec (not prom-client's own output code).

interface ParsedFamily {
  name: string;
  help: string;
  type: string;
  metrics: Array<{ value?: string; labels?: Record<string, string> }>;
}

// The package ships no types; its one export is the parse function.
const parse = createRequire(import.meta.url)('parse-prometheus-text-format') as (text: string) => ParsedFamily[];

export interface Sample {
  /** As written on the line: a histogram's series carry `_bucket`, `_sum` or `_count`. */
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Exposition {
  text: string;
  contentType: string;
  /** Family name → TYPE, as the parser read it. */
  types: Map<string, string>;
  samples: Sample[];
}

export async function scrapeMetrics(url: string, headers: Record<string, string> = {}): Promise<Exposition> {
  const response = await fetch(`${url}/metrics`, { headers });
  const text = await response.text();
  assert.equal(response.status, 200, text);
  const families = parse(text);
  assert.ok(families.length > 0, 'the exposition has metric families');
  for (const family of families.filter((f) => f.name.startsWith('mana_llm_'))) {
    assert.ok(['COUNTER', 'GAUGE', 'HISTOGRAM', 'SUMMARY'].includes(family.type), `${family.name} has a TYPE`);
    assert.ok(family.help.length > 0, `${family.name} has a HELP`);
  }
  // Version 1.1.1 folds every sample of a labelled histogram into one object without labels, count or
  // sum; read as untyped, each of _bucket, _sum and _count is a family of its own with its labels intact.
  const flat = parse(text.replace(/^# TYPE (\S+) (histogram|summary)$/gm, '# TYPE $1 untyped'));
  const samples = flat.flatMap((family) =>
    family.metrics.map((m) => ({ name: family.name, labels: m.labels ?? {}, value: sampleValue(family.name, m.value) })),
  );
  return { text, contentType: response.headers.get('content-type') ?? '', types: new Map(families.map((f) => [f.name, f.type])), samples };
}

/** Prometheus reads values with Go's ParseFloat: `+Inf`, `-Inf` and NaN in any case (prom-client writes `Nan`). */
function sampleValue(name: string, raw: string | undefined): number {
  const value = raw === '+Inf' ? Infinity : raw === '-Inf' ? -Infinity : Number(raw);
  assert.ok(raw !== undefined && raw.trim() !== '' && (!Number.isNaN(value) || /^nan$/i.test(raw)), `${name} has a numeric value (got ${String(raw)})`);
  return value;
}

/** The sample with exactly these labels, or 0 when the series does not exist (yet). */
export function valueOf(exposition: Exposition, name: string, labels: Record<string, string> = {}): number {
  const sample = exposition.samples.find((s) => s.name === name && sameLabels(s.labels, labels));
  return sample?.value ?? 0;
}

/** The sum over every series of `name` whose labels include `where`. */
export function totalOf(exposition: Exposition, name: string, where: Record<string, string> = {}): number {
  return exposition.samples
    .filter((s) => s.name === name && Object.entries(where).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);
}

/** How much each `[name, labels]` moved from `before` to `after`. */
export function deltas(before: Exposition, after: Exposition, series: Array<[string, Record<string, string>]>): number[] {
  return series.map(([name, labels]) => round(valueOf(after, name, labels) - valueOf(before, name, labels)));
}

/** Every series (`name{label="value",…}`) of the families whose name starts with `prefix`. */
export function seriesOf(exposition: Exposition, prefix: string): Set<string> {
  return new Set(
    exposition.samples
      .filter((s) => s.name.startsWith(prefix))
      .map((s) => `${s.name}{${Object.keys(s.labels).sort().map((k) => `${k}=${JSON.stringify(s.labels[k])}`).join(',')}}`),
  );
}

/** label name → every value it takes, over the families whose name starts with `prefix`. */
export function labelValuesOf(exposition: Exposition, prefix: string): Map<string, Set<string>> {
  const values = new Map<string, Set<string>>();
  for (const sample of exposition.samples.filter((s) => s.name.startsWith(prefix))) {
    for (const [label, value] of Object.entries(sample.labels)) {
      const key = `${sample.name.replace(/_(bucket|sum|count)$/, '')}:${label}`;
      if (!values.has(key)) values.set(key, new Set());
      values.get(key)!.add(value);
    }
  }
  return values;
}

function sameLabels(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}

/** Sums of float observations drift in the last digits; counters of whole numbers are unaffected. */
function round(value: number): number {
  return Math.round(value * 1e9) / 1e9;
}
