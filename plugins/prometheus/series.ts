// The metric families this plugin writes on the request path. prom-client validates and hashes a label
// object on every `inc` / `observe` (its labelled children do too): several microseconds per request for
// a handful of series. Here a series is fetched once per label values and then updated as plain numbers;
// prom-client's Registry only renders the families when /metrics is scraped (it calls `get()`), so the
// exposition format, HELP and TYPE lines stay prom-client's own.

import type { Metric, Registry } from 'prom-client';

type MetricType = 'counter' | 'gauge' | 'histogram';

interface Sample {
  labels: Record<string, string | number>;
  value: number;
  metricName?: string;
}

/** What prom-client's Registry reads from a metric when it renders or merges registries. */
interface MetricSnapshot {
  name: string;
  help: string;
  type: MetricType;
  aggregator: 'sum' | 'max';
  values: Sample[];
}

/**
 * A metric name with its label names and one series per distinct label values. Label values must
 * already be bounded (label-values.ts): every distinct tuple is kept for the life of the process.
 */
abstract class Family<Series> {
  private readonly tree = new Map<string, unknown>();
  private readonly all: Array<{ labels: Record<string, string>; series: Series }> = [];

  constructor(
    readonly name: string,
    readonly help: string,
    readonly labelNames: readonly string[],
    readonly type: MetricType,
  ) {}

  protected abstract create(): Series;
  protected abstract samples(series: Series, labels: Record<string, string>): Sample[];

  /** The series for these label values, in `labelNames` order; created on first use. */
  of(...values: string[]): Series {
    if (values.length !== this.labelNames.length) {
      throw new Error(`${this.name} takes ${this.labelNames.length} label values (${this.labelNames.join(', ')}), got ${values.length}`);
    }
    // One map level per label: no key string is built per lookup.
    let level: Map<string, unknown> = this.tree;
    for (let i = 0; i < values.length - 1; i++) {
      let next = level.get(values[i]!) as Map<string, unknown> | undefined;
      if (next === undefined) level.set(values[i]!, (next = new Map()));
      level = next;
    }
    const leaf = values.length === 0 ? '' : values[values.length - 1]!;
    let series = level.get(leaf) as Series | undefined;
    if (series === undefined) {
      series = this.create();
      level.set(leaf, series);
      this.all.push({ labels: Object.fromEntries(this.labelNames.map((name, i) => [name, values[i]!])), series });
    }
    return series;
  }

  /** prom-client's metric shape, built at scrape time. */
  get(): MetricSnapshot {
    // A family without labels has its one series from the start, as prom-client's unlabelled metrics do.
    if (this.labelNames.length === 0 && this.all.length === 0) this.of();
    return { name: this.name, help: this.help, type: this.type, aggregator: 'sum', values: this.all.flatMap(({ labels, series }) => this.samples(series, labels)) };
  }

  /** Adds the family to a prom-client registry, which renders it with its own (a structural fit). */
  registerIn(registry: Registry): this {
    registry.registerMetric(this as unknown as Metric);
    return this;
  }
}

export class CounterSeries {
  value = 0;
  /** `amount` must be a finite number ≥ 0 (the observer checks what it did not compute itself). */
  inc(amount = 1): void {
    this.value += amount;
  }
}

export class GaugeSeries {
  value = 0;
  set(value: number): void {
    this.value = value;
  }
  inc(): void {
    this.value++;
  }
  dec(): void {
    this.value--;
  }
}

export class HistogramSeries {
  /** Observations per bucket, not cumulative: bucket i counts values in (bounds[i-1], bounds[i]]. */
  readonly counts: Float64Array;
  sum = 0;
  count = 0;

  constructor(private readonly bounds: readonly number[]) {
    this.counts = new Float64Array(bounds.length);
  }

  observe(value: number): void {
    const bounds = this.bounds;
    let i = 0;
    while (i < bounds.length && value > bounds[i]!) i++;
    if (i < bounds.length) this.counts[i]!++;
    this.sum += value;
    this.count++;
  }
}

/** A family whose series are one number each (counters, gauges). */
abstract class ValueFamily<Series extends { value: number }> extends Family<Series> {
  protected samples(series: Series, labels: Record<string, string>): Sample[] {
    return [{ labels, value: series.value }];
  }
}

export class CounterFamily extends ValueFamily<CounterSeries> {
  constructor(name: string, help: string, labelNames: readonly string[] = []) {
    super(name, help, labelNames, 'counter');
  }
  protected create(): CounterSeries {
    return new CounterSeries();
  }
}

export class GaugeFamily extends ValueFamily<GaugeSeries> {
  constructor(name: string, help: string, labelNames: readonly string[] = []) {
    super(name, help, labelNames, 'gauge');
  }
  protected create(): GaugeSeries {
    return new GaugeSeries();
  }
}

export class HistogramFamily extends Family<HistogramSeries> {
  private readonly bounds: readonly number[];

  constructor(name: string, help: string, labelNames: readonly string[], buckets: readonly number[]) {
    super(name, help, labelNames, 'histogram');
    if (labelNames.includes('le')) throw new Error(`${name}: "le" is reserved for histogram buckets`);
    this.bounds = [...new Set(buckets)].sort((a, b) => a - b);
  }
  protected create(): HistogramSeries {
    return new HistogramSeries(this.bounds);
  }
  protected samples(series: HistogramSeries, labels: Record<string, string>): Sample[] {
    const out: Sample[] = [];
    let cumulative = 0;
    for (let i = 0; i < this.bounds.length; i++) {
      cumulative += series.counts[i]!;
      out.push({ metricName: `${this.name}_bucket`, labels: { ...labels, le: this.bounds[i]! }, value: cumulative });
    }
    out.push({ metricName: `${this.name}_bucket`, labels: { ...labels, le: '+Inf' }, value: series.count });
    out.push({ metricName: `${this.name}_sum`, labels, value: series.sum });
    out.push({ metricName: `${this.name}_count`, labels, value: series.count });
    return out;
  }
}
