import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { createMetrics } from './metrics.ts';
import { DEFAULT_DURATION_BUCKETS, DEFAULT_TTFT_BUCKETS } from './options.ts';
import { processMetrics } from './process-metrics.ts';

// The Grafana dashboard may only query what this plugin exports: a renamed metric must break this test,
// not a panel nobody looks at until the night it is needed.

const DASHBOARD = new URL('../../deploy/grafana/mana-llm-dashboard.json', import.meta.url);
const HISTOGRAM_SERIES = /_(bucket|sum|count)$/;

interface Panel {
  id: number;
  type: string;
  title: string;
  datasource?: { uid?: string };
  targets?: Array<{ expr?: string; datasource?: { uid?: string } }>;
  panels?: Panel[];
}

const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8'));
const panels: Panel[] = (dashboard.panels as Panel[]).flatMap((p) => [p, ...(p.panels ?? [])]);
const queryPanels = panels.filter((p) => p.type !== 'row');
const expressions: string[] = [
  ...queryPanels.flatMap((p) => (p.targets ?? []).map((t) => t.expr ?? '')),
  ...dashboard.templating.list.map((v: { definition?: string }) => v.definition ?? ''),
];

/** Every exported metric name with its type, as Prometheus sees them. */
async function exported(): Promise<Map<string, string>> {
  const metrics = createMetrics({ duration: DEFAULT_DURATION_BUCKETS, ttft: DEFAULT_TTFT_BUCKETS });
  const all = [...(await metrics.registry.getMetricsAsJSON()), ...(await processMetrics().getMetricsAsJSON())];
  return new Map(all.map((m) => [m.name, String(m.type)]));
}

/** The `mana_llm_` names an expression uses that the plugin does not export (a histogram's series allowed). */
function unknownNames(expression: string, known: Map<string, string>): string[] {
  return (expression.match(/mana_llm_[a-z0-9_]+/g) ?? []).filter((name) => {
    if (known.has(name)) return false;
    const base = name.replace(HISTOGRAM_SERIES, '');
    return !(base !== name && known.get(base) === 'histogram');
  });
}

describe('the name check itself', () => {
  const known = new Map([
    ['mana_llm_llm_requests_total', 'counter'],
    ['mana_llm_request_duration_seconds', 'histogram'],
  ]);
  const cases: Array<[string, string[]]> = [
    ['rate(mana_llm_llm_requests_total[5m])', []],
    ['histogram_quantile(0.9, rate(mana_llm_request_duration_seconds_bucket[5m]))', []],
    ['mana_llm_request_duration_seconds_count / mana_llm_request_duration_seconds_sum', []],
    ['rate(mana_llm_requests_total[5m])', ['mana_llm_requests_total']],
    ['mana_llm_llm_requests_total_bucket', ['mana_llm_llm_requests_total_bucket']],
    ['mana_llm_request_duration_seconds_total', ['mana_llm_request_duration_seconds_total']],
  ];
  for (const [expression, expected] of cases) test(expression, () => assert.deepEqual(unknownNames(expression, known), expected));
});

describe('deploy/grafana/mana-llm-dashboard.json', () => {
  test('every metric name in a panel or variable query is exported by the plugin', async () => {
    const known = await exported();
    const unknown = expressions.flatMap((e) => unknownNames(e, known));
    assert.deepEqual(unknown, []);
  });

  test('every metric of the CONTRACT is on the dashboard', async () => {
    const known = await exported();
    const used = new Set(expressions.flatMap((e) => (e.match(/mana_llm_[a-z0-9_]+/g) ?? []).map((n) => (known.has(n) ? n : n.replace(HISTOGRAM_SERIES, '')))));
    const contract = [
      'mana_llm_llm_requests_total',
      'mana_llm_alias_resolved_total',
      'mana_llm_fallback_total',
      'mana_llm_provider_healthy',
      'mana_llm_request_duration_seconds',
      'mana_llm_time_to_first_token_seconds',
      'mana_llm_tokens_total',
      'mana_llm_cache_requests_total',
      'mana_llm_requests_in_flight',
      'mana_llm_upstream_errors_total',
    ];
    assert.deepEqual(contract.filter((name) => !used.has(name)), []);
  });

  test('the panels the issue asks for are there', () => {
    const has = (pattern: RegExp) => expressions.some((e) => pattern.test(e));
    assert.ok(has(/rate\(mana_llm_llm_requests_total/), 'request rate');
    assert.ok(has(/mana_llm_request_duration_seconds_count\{[^}]*status=~"\[45\]\.\."/), 'error rate: status >= 400');
    for (const q of ['0.5', '0.9', '0.99']) {
      assert.ok(has(new RegExp(`histogram_quantile\\(${q}, .*mana_llm_request_duration_seconds_bucket`)), `latency p${q}`);
      assert.ok(has(new RegExp(`histogram_quantile\\(${q}, .*mana_llm_time_to_first_token_seconds_bucket`)), `ttft p${q}`);
    }
    assert.ok(has(/sum by \(reason\) \(rate\(mana_llm_fallback_total/), 'fallbacks by reason');
    assert.ok(has(/mana_llm_cache_requests_total\{[^}]*result="hit"\}.*\/.*mana_llm_cache_requests_total/), 'cache hit rate');
  });

  test('histogram_quantile reads bucket series only', () => {
    for (const e of expressions.filter((x) => x.includes('histogram_quantile'))) assert.match(e, /_bucket\{/, e);
  });

  test('it is importable: a DS_PROMETHEUS input used by every panel and query, unique panel ids', () => {
    assert.equal(dashboard.schemaVersion, 39);
    assert.deepEqual(
      dashboard.__inputs.map((i: { name: string; type: string; pluginId: string }) => [i.name, i.type, i.pluginId]),
      [['DS_PROMETHEUS', 'datasource', 'prometheus']],
    );
    for (const p of queryPanels) {
      assert.equal(p.datasource?.uid, '${DS_PROMETHEUS}', p.title);
      assert.ok((p.targets ?? []).length > 0, `${p.title} has a query`);
      for (const t of p.targets ?? []) assert.equal(t.datasource?.uid, '${DS_PROMETHEUS}', p.title);
    }
    const ids = panels.map((p) => p.id);
    assert.equal(new Set(ids).size, ids.length);
  });
});
