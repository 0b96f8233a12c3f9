import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { CounterFamily, GaugeFamily, HistogramFamily } from './series.ts';

// The families must render exactly what prom-client's own metrics render for the same updates: the
// exposition is part of the contract, only the bookkeeping is ours.

type Update = { labels: string[]; value: number };

/** The exposition's lines with each sample's labels in name order, and the samples sorted: series order and label order carry no meaning. */
async function parsed(registry: Registry): Promise<string[]> {
  const lines = (await registry.metrics()).split('\n').filter(Boolean);
  const comments = lines.filter((line) => line.startsWith('#'));
  const samples = lines
    .filter((line) => !line.startsWith('#'))
    .map((line) => {
      const match = /^(\w+)(?:\{(.*)\})? (\S+)$/.exec(line);
      assert.ok(match, `a sample line: ${line}`);
      const labels = match[2] ? match[2].split(/,(?=\w+=")/).sort().join(',') : '';
      return `${match[1]}{${labels}} ${match[3]}`;
    });
  return [...comments, ...samples.sort()];
}

const HISTOGRAM_CASES: Array<{ name: string; buckets: number[]; updates: Update[] }> = [
  { name: 'no observations', buckets: [0.1, 1], updates: [] },
  { name: 'a value on a bound counts in that bucket', buckets: [0.1, 1], updates: [{ labels: ['a', '200'], value: 0.1 }] },
  {
    name: 'values below, between, above the bounds',
    buckets: [0.005, 0.1, 1, 10],
    updates: [
      { labels: ['a', '200'], value: 0 },
      { labels: ['a', '200'], value: 0.05 },
      { labels: ['a', '200'], value: 3 },
      { labels: ['a', '200'], value: 99 },
      { labels: ['b', '502'], value: 0.2 },
    ],
  },
];

describe('HistogramFamily renders what prom-client renders', () => {
  for (const { name, buckets, updates } of HISTOGRAM_CASES) {
    test(name, async () => {
      const ours = new Registry();
      const theirs = new Registry();
      const family = new HistogramFamily('h_seconds', 'help text', ['provider', 'status'], buckets).registerIn(ours);
      const reference = new Histogram({ name: 'h_seconds', help: 'help text', labelNames: ['provider', 'status'], buckets, registers: [theirs] });
      for (const { labels, value } of updates) {
        family.of(...labels).observe(value);
        reference.labels(...labels).observe(value);
      }
      assert.deepEqual(await parsed(ours), await parsed(theirs));
    });
  }
});

describe('CounterFamily and GaugeFamily render what prom-client renders', () => {
  test('a labelled counter', async () => {
    const ours = new Registry();
    const theirs = new Registry();
    const family = new CounterFamily('c_total', 'counts', ['provider', 'model']).registerIn(ours);
    const reference = new Counter({ name: 'c_total', help: 'counts', labelNames: ['provider', 'model'], registers: [theirs] });
    for (const [provider, model, amount] of [['p', 'm', 1], ['p', 'm', 2.5], ['p', 'other', 1], ['q', 'm', 0]] as const) {
      family.of(provider, model).inc(amount);
      reference.labels(provider, model).inc(amount);
    }
    assert.deepEqual(await parsed(ours), await parsed(theirs));
  });

  test('an unlabelled gauge shows 0 before its first update, then its value', async () => {
    const ours = new Registry();
    const theirs = new Registry();
    const family = new GaugeFamily('g', 'in flight').registerIn(ours);
    const reference = new Gauge({ name: 'g', help: 'in flight', registers: [theirs] });
    assert.deepEqual(await parsed(ours), await parsed(theirs));
    family.of().inc();
    family.of().inc();
    family.of().dec();
    reference.inc();
    assert.deepEqual(await parsed(ours), await parsed(theirs));
  });

  test('a series is the same object for the same label values, and another for others', () => {
    const family = new CounterFamily('c_total', 'counts', ['a', 'b']);
    assert.equal(family.of('x', 'y'), family.of('x', 'y'));
    assert.notEqual(family.of('x', 'y'), family.of('x', 'z'));
    assert.notEqual(family.of('x', 'y'), family.of('y', 'x'));
  });

  test('the wrong number of label values is a programming error that names the labels', () => {
    const family = new CounterFamily('c_total', 'counts', ['a', 'b']);
    assert.throws(() => family.of('x'), /c_total takes 2 label values \(a, b\), got 1/);
  });

  test('a histogram may not use the bucket label', () => {
    assert.throws(() => new HistogramFamily('h', 'h', ['le'], [1]), /"le" is reserved/);
  });
});
