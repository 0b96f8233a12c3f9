import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Ajv } from 'ajv';
import { DEFAULT_BASE_URL, DEFAULT_TOOL_MODELS, keepAliveValue, optionsSchema, resolveOptions } from './options.ts';

describe('optionsSchema', () => {
  // The loader's settings: defaults filled, `${VAR}` strings coerced.
  const validate = new Ajv({ useDefaults: true, coerceTypes: true, allErrors: true }).compile(optionsSchema);
  const cases: Array<[string, Record<string, unknown>, boolean]> = [
    ['empty', {}, true],
    ['all set', { baseUrl: 'http://gpu:11434', keepAlive: '10m', numCtx: 8192, toolModels: ['x'] }, true],
    ['numeric keepAlive', { keepAlive: -1 }, true],
    ['numCtx from an env string', { numCtx: '4096' }, true],
    ['baseUrl without scheme', { baseUrl: 'localhost:11434' }, false],
    ['numCtx zero', { numCtx: 0 }, false],
    ['unknown option', { apiKey: 'x' }, false],
    ['empty pattern', { visionModels: [''] }, false],
  ];
  for (const [name, input, ok] of cases) test(`${name} → ${ok ? 'valid' : 'invalid'}`, () => assert.equal(validate({ ...input }), ok));

  test('defaults are applied', () => {
    const options: Record<string, unknown> = {};
    validate(options);
    assert.equal(options.baseUrl, DEFAULT_BASE_URL);
    assert.deepEqual(options.toolModels, DEFAULT_TOOL_MODELS);
  });
});

describe('resolveOptions', () => {
  test('copes with missing options', () => {
    const s = resolveOptions(undefined);
    assert.equal(s.baseUrl, DEFAULT_BASE_URL);
    assert.equal(s.keepAlive, undefined);
    assert.equal(s.numCtx, undefined);
    assert.ok(s.visionModels.includes('llava'), `llava is a default vision model (got ${s.visionModels.join(', ')})`);
    assert.ok(s.embeddingModels.includes('nomic-embed-text'), `nomic-embed-text is a default embedding model (got ${s.embeddingModels.join(', ')})`);
  });
});

describe('keepAliveValue', () => {
  const cases: Array<[string | number | undefined, unknown]> = [
    [undefined, undefined],
    ['', undefined],
    ['10m', '10m'],
    ['-1', -1],
    ['300', 300],
    [0, 0],
  ];
  for (const [input, expected] of cases) test(`${JSON.stringify(input)} → ${JSON.stringify(expected)}`, () => assert.equal(keepAliveValue(input), expected));
});
