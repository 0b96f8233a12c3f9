import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  aliasLabel,
  cacheResultLabel,
  callerLabel,
  entryLabel,
  modelLabels,
  providerLabel,
  requestedLabels,
  servedLabels,
  splitRequested,
  statusLabel,
  wordLabel,
  type Vocabulary,
} from './label-values.ts';

const vocabulary: Vocabulary = {
  providers: new Set(['ollama', 'groq', 'together']),
  aliases: new Set(['mana/fast-text', 'mana/chain']),
  models: new Set(['ollama/gemma3:4b', 'groq/llama-3.1-8b-instant', 'ollama/hf.co/org/repo:Q4']),
};

describe('providerLabel: only providers of the profile', () => {
  const cases: Array<[string | undefined, string]> = [
    ['ollama', 'ollama'],
    ['together', 'together'],
    ['openai', 'other'],
    ['alias', 'other'],
    ['', 'other'],
    [undefined, 'other'],
    ['Ollama', 'other'],
  ];
  for (const [name, expected] of cases) test(`${String(name)} → ${expected}`, () => assert.equal(providerLabel(name, vocabulary.providers), expected));
});

describe('aliasLabel: only aliases in force', () => {
  const cases: Array<[string, string]> = [
    ['mana/fast-text', 'mana/fast-text'],
    ['mana/unknown', 'other'],
    ['mana/', 'other'],
  ];
  for (const [name, expected] of cases) test(`${name} → ${expected}`, () => assert.equal(aliasLabel(name, vocabulary.aliases), expected));
});

describe('entryLabel: learned provider/model names, and none', () => {
  const cases: Array<[string, string]> = [
    ['ollama/gemma3:4b', 'ollama/gemma3:4b'],
    ['none', 'none'],
    ['groq/never-served', 'other'],
    ['gemma3:4b', 'other'],
    ['other', 'other'],
  ];
  for (const [entry, expected] of cases) test(`${entry} → ${expected}`, () => assert.equal(entryLabel(entry, vocabulary.models), expected));
});

describe('wordLabel: short lower-case words only', () => {
  const cases: Array<[string | undefined, string]> = [
    ['upstream_5xx', 'upstream_5xx'],
    ['unconfigured', 'unconfigured'],
    ['cache-unhealthy', 'cache-unhealthy'],
    ['circuit_open', 'circuit_open'],
    ['a'.repeat(40), 'a'.repeat(40)],
    ['a'.repeat(41), 'other'],
    ['Upstream_5xx', 'other'],
    ['model "x" not found', 'other'],
    ['sk-test-key with space', 'other'],
    ['', 'other'],
    [undefined, 'other'],
  ];
  for (const [word, expected] of cases) test(`${String(word).slice(0, 20)} → ${expected.slice(0, 20)}`, () => assert.equal(wordLabel(word), expected));
});

describe('statusLabel: the numeric HTTP status', () => {
  const cases: Array<[number, string]> = [
    [200, '200'],
    [499, '499'],
    [503, '503'],
    [99, 'other'],
    [600, 'other'],
    [200.5, 'other'],
    [Number.NaN, 'other'],
  ];
  for (const [status, expected] of cases) test(`${status} → ${expected}`, () => assert.equal(statusLabel(status), expected));
});

describe('cacheResultLabel: the four results', () => {
  const cases: Array<[string, string]> = [
    ['hit', 'hit'],
    ['miss', 'miss'],
    ['bypass', 'bypass'],
    ['error', 'error'],
    ['HIT', 'other'],
    ['stale', 'other'],
  ];
  for (const [result, expected] of cases) test(`${result} → ${expected}`, () => assert.equal(cacheResultLabel(result), expected));
});

describe('splitRequested: the model part after the provider prefix', () => {
  const cases: Array<[string, string, { provider: string; model: string }]> = [
    ['groq/llama-3.1-8b-instant', 'groq', { provider: 'groq', model: 'llama-3.1-8b-instant' }],
    ['gemma3:4b', 'ollama', { provider: 'ollama', model: 'gemma3:4b' }],
    ['ollama/gemma3:4b', 'ollama', { provider: 'ollama', model: 'gemma3:4b' }],
    ['hf.co/org/repo:Q4', 'ollama', { provider: 'ollama', model: 'hf.co/org/repo:Q4' }],
    ['openrouter/meta-llama/llama-3.1-8b', 'openrouter', { provider: 'openrouter', model: 'meta-llama/llama-3.1-8b' }],
  ];
  for (const [requested, provider, expected] of cases) test(requested, () => assert.deepEqual(splitRequested(requested, provider), expected));
});

describe('modelLabels: a pair is kept only when learned', () => {
  const cases: Array<[string, string, { provider: string; model: string }]> = [
    ['ollama', 'gemma3:4b', { provider: 'ollama', model: 'gemma3:4b' }],
    ['groq', 'llama-3.1-8b-instant', { provider: 'groq', model: 'llama-3.1-8b-instant' }],
    ['groq', 'gemma3:4b', { provider: 'groq', model: 'other' }],
    ['ollama', 'nope-123', { provider: 'ollama', model: 'other' }],
    ['together', 'x', { provider: 'together', model: 'other' }],
    ['elsewhere', 'gemma3:4b', { provider: 'other', model: 'other' }],
  ];
  for (const [provider, model, expected] of cases) test(`${provider} ${model}`, () => assert.deepEqual(modelLabels(provider, model, vocabulary), expected));
});

describe('requestedLabels: by the requested model', () => {
  const cases: Array<[string, string, { provider: string; model: string }]> = [
    ['mana/fast-text', 'alias', { provider: 'alias', model: 'mana/fast-text' }],
    // An alias removed by a reload between the request and its end.
    ['mana/gone', 'alias', { provider: 'other', model: 'other' }],
    ['gemma3:4b', 'ollama', { provider: 'ollama', model: 'gemma3:4b' }],
    ['ollama/gemma3:4b', 'ollama', { provider: 'ollama', model: 'gemma3:4b' }],
    ['hf.co/org/repo:Q4', 'ollama', { provider: 'ollama', model: 'hf.co/org/repo:Q4' }],
    ['nope-3f2a', 'ollama', { provider: 'ollama', model: 'other' }],
    ['groq/llama-3.1-8b-instant', 'groq', { provider: 'groq', model: 'llama-3.1-8b-instant' }],
    ['groq/3f2a', 'groq', { provider: 'groq', model: 'other' }],
    ['together/some-model', 'together', { provider: 'together', model: 'other' }],
  ];
  for (const [requestedModel, requestedProvider, expected] of cases) {
    test(`${requestedModel} (${requestedProvider})`, () => assert.deepEqual(requestedLabels({ requestedModel, requestedProvider }, vocabulary), expected));
  }
});

describe('servedLabels: the model that answered, else the requested one', () => {
  const cases: Array<[string, Parameters<typeof servedLabels>[0], { provider: string; model: string }]> = [
    ['an alias answered by groq', { requestedModel: 'mana/chain', requestedProvider: 'alias', provider: 'groq', model: 'llama-3.1-8b-instant' }, { provider: 'groq', model: 'llama-3.1-8b-instant' }],
    ['an alias nobody answered', { requestedModel: 'mana/chain', requestedProvider: 'alias' }, { provider: 'alias', model: 'mana/chain' }],
    ['a direct name that failed', { requestedModel: 'groq/3f2a', requestedProvider: 'groq' }, { provider: 'groq', model: 'other' }],
    ['an unprefixed name answered', { requestedModel: 'gemma3:4b', requestedProvider: 'ollama', provider: 'ollama', model: 'gemma3:4b' }, { provider: 'ollama', model: 'gemma3:4b' }],
  ];
  for (const [what, end, expected] of cases) test(what, () => assert.deepEqual(servedLabels(end, vocabulary), expected));
});

describe('callerLabel: names as the callers file allows them', () => {
  const cases: Array<[string, string]> = [
    ['default', 'default'],
    ['chat-backend', 'chat-backend'],
    ['Nightly.Enrichment_2', 'Nightly.Enrichment_2'],
    ['', 'other'],
    ['-leading-dash', 'other'],
    ['has space', 'other'],
    ['x'.repeat(65), 'other'],
  ];
  for (const [name, label] of cases) test(JSON.stringify(name), () => assert.equal(callerLabel(name), label));
});
