import assert from 'node:assert/strict';
import { test } from 'node:test';
import { capabilityFlags, requestHeaders, unconfiguredReason, type OpenAICompatOptions } from './options.ts';

const base = 'https://openrouter.ai/api/v1';

const headerCases: Array<[string, OpenAICompatOptions, Record<string, string>]> = [
  ['key only', { baseUrl: base, apiKey: 'k1' }, { authorization: 'Bearer k1' }],
  ['no key, no header', { baseUrl: base, apiKey: '' }, {}],
  ['extra headers lower-cased beside the key', { baseUrl: base, apiKey: 'k', headers: { 'HTTP-Referer': 'https://mana', 'X-Title': 'mana' } }, { 'http-referer': 'https://mana', 'x-title': 'mana', authorization: 'Bearer k' }],
  ['the key wins over a configured Authorization', { baseUrl: base, apiKey: 'k', headers: { Authorization: 'Bearer other' } }, { authorization: 'Bearer k' }],
  ['a configured Authorization serves keyless upstreams', { baseUrl: base, headers: { Authorization: 'Basic abc' } }, { authorization: 'Basic abc' }],
];
for (const [name, options, expected] of headerCases) {
  test(`requestHeaders: ${name}`, () => assert.deepEqual(requestHeaders(options), expected));
}

const unconfiguredCases: Array<[string, OpenAICompatOptions, string | undefined]> = [
  ['empty key', { baseUrl: base, apiKey: '' }, 'no API key (apiKey is empty)'],
  ['missing key', { baseUrl: base }, 'no API key (apiKey is empty)'],
  ['key set', { baseUrl: base, apiKey: 'k' }, undefined],
  ['key not required', { baseUrl: base, requireApiKey: false }, undefined],
];
for (const [name, options, expected] of unconfiguredCases) {
  test(`unconfiguredReason: ${name}`, () => assert.equal(unconfiguredReason(options), expected));
}

test('capabilityFlags defaults every flag to true', () => {
  assert.deepEqual(capabilityFlags({ baseUrl: base }), { vision: true, tools: true, json: true, jsonSchema: true, embeddings: true });
  assert.deepEqual(capabilityFlags({ baseUrl: base, capabilities: { jsonSchema: false } }), { vision: true, tools: true, json: true, jsonSchema: false, embeddings: true });
});
