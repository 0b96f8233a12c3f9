import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Ajv } from 'ajv';
import { DEFAULT_DURATION_BUCKETS, DEFAULT_TTFT_BUCKETS, optionsSchema, resolveOptions, type PrometheusOptions } from './options.ts';

// The same ajv settings as the loader: defaults filled in, `${VAR}` strings coerced.
const ajv = new Ajv({ allErrors: true, useDefaults: true, coerceTypes: true, strict: false });
const validate = ajv.compile(optionsSchema);

describe('options schema', () => {
  const cases: Array<[string, unknown, boolean]> = [
    ['no options', {}, true],
    ['another path', { path: '/internal/metrics' }, true],
    ['a path with a parameter', { path: '/metrics/:x' }, false],
    ['a path without its slash', { path: 'metrics' }, false],
    ['custom buckets', { buckets: { duration: [1, 5, 30], ttft: [0.2, 1] } }, true],
    ['an empty bucket list', { buckets: { duration: [] } }, false],
    ['a zero bucket', { buckets: { ttft: [0, 1] } }, false],
    ['an unknown bucket kind', { buckets: { size: [1] } }, false],
    ['defaultMetrics from ${VAR}', { defaultMetrics: 'false' }, true],
    ['a scrape token', { token: 'metrics-token' }, true],
    ['an empty token (unset)', { token: '' }, true],
    ['an unknown option', { port: 9100 }, false],
  ];
  for (const [what, options, valid] of cases) test(`${what}: ${valid ? 'valid' : 'rejected'}`, () => assert.equal(validate(structuredClone(options)), valid));

  test('the loader fills in the defaults', () => {
    const options: Record<string, unknown> = {};
    validate(options);
    assert.deepEqual(options, { path: '/metrics', defaultMetrics: true });
  });
});

describe('resolveOptions', () => {
  const cases: Array<[string, PrometheusOptions | undefined, ReturnType<typeof resolveOptions>]> = [
    ['nothing', undefined, { path: '/metrics', durationBuckets: DEFAULT_DURATION_BUCKETS, ttftBuckets: DEFAULT_TTFT_BUCKETS, defaultMetrics: true, token: undefined }],
    ['an empty token', { token: '' }, { path: '/metrics', durationBuckets: DEFAULT_DURATION_BUCKETS, ttftBuckets: DEFAULT_TTFT_BUCKETS, defaultMetrics: true, token: undefined }],
    [
      'unsorted buckets with a repeat',
      { buckets: { duration: [30, 1, 5, 1] }, defaultMetrics: false, path: '/m' },
      { path: '/m', durationBuckets: [1, 5, 30], ttftBuckets: DEFAULT_TTFT_BUCKETS, defaultMetrics: false, token: undefined },
    ],
  ];
  for (const [what, options, expected] of cases) test(what, () => assert.deepEqual(resolveOptions(options), expected));

  test('the defaults span LLM latencies, from 50 ms to minutes', () => {
    assert.equal(DEFAULT_DURATION_BUCKETS[0], 0.05);
    assert.equal(DEFAULT_DURATION_BUCKETS.at(-1), 120);
  });
});
