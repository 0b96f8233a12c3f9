import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Ajv } from 'ajv';
import plugin from './index.ts';
import { optionsSchema, resolveOptions } from './options.ts';

// The loader's own ajv settings.
const validate = new Ajv({ allErrors: true, useDefaults: true, coerceTypes: true, strict: false }).compile(optionsSchema);

describe('google options', () => {
  const valid: Array<{ given: Record<string, unknown>; after: Record<string, unknown> }> = [
    { given: {}, after: { apiKey: '', defaultModel: 'gemini-2.5-flash', apiVersion: 'v1beta' } },
    { given: { apiKey: 'k', baseUrl: 'http://127.0.0.1:9' }, after: { apiKey: 'k', baseUrl: 'http://127.0.0.1:9', defaultModel: 'gemini-2.5-flash', apiVersion: 'v1beta' } },
    { given: { apiKey: 'k', baseUrl: '', defaultModel: 'gemini-2.5-pro', apiVersion: 'v1' }, after: { apiKey: 'k', baseUrl: '', defaultModel: 'gemini-2.5-pro', apiVersion: 'v1' } },
  ];
  for (const c of valid) {
    it(`accepts ${JSON.stringify(c.given)} and fills defaults`, () => {
      const options = { ...c.given };
      assert.ok(validate(options), JSON.stringify(validate.errors));
      assert.deepEqual(options, c.after);
    });
  }

  const invalid: Array<[string, Record<string, unknown>]> = [
    ['a base URL without scheme', { baseUrl: 'generativelanguage.googleapis.com' }],
    ['an empty default model', { defaultModel: '' }],
    ['an unknown option', { apiKey: 'k', region: 'eu' }],
    ['an API version with a slash', { apiVersion: 'v1beta/models' }],
  ];
  for (const [name, options] of invalid) it(`refuses ${name}`, () => assert.equal(validate(options), false));

  it('is unconfigured without a key', () => {
    assert.equal(plugin.unconfigured?.({ apiKey: '', defaultModel: 'x', apiVersion: 'v1beta' }), 'no API key (apiKey is empty)');
    assert.equal(plugin.unconfigured?.({ apiKey: 'k', defaultModel: 'x', apiVersion: 'v1beta' }), undefined);
  });

  it('create() copes with missing optional options', () => {
    assert.deepEqual(resolveOptions({ apiKey: 'k' }), { apiKey: 'k', baseUrl: 'https://generativelanguage.googleapis.com', defaultModel: 'gemini-2.5-flash', apiVersion: 'v1beta' });
    assert.equal(resolveOptions({ apiKey: 'k', baseUrl: 'http://h:1/' }).baseUrl, 'http://h:1');
  });

  it('declares itself a provider plugin named google', () => {
    assert.equal(plugin.name, 'google');
    assert.equal(plugin.kind, 'provider');
    assert.equal(plugin.apiVersion, '^2');
  });
});
