import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { RequestEndEvent } from '../../core/index.ts';
import { KnownModels, learnedFromAlias, learnedFromEnd, learnedFromFallback } from './known-models.ts';

const aliases: ReadonlySet<string> = new Set(['mana/chain']);
type End = Pick<RequestEndEvent, 'requestedModel' | 'status' | 'resolved' | 'attempts'>;

describe('learnedFromEnd: served answers, and the entries of an alias in force', () => {
  const cases: Array<[string, End, string[]]> = [
    ['a direct request answered', { requestedModel: 'gemma3:4b', status: 200, resolved: 'ollama/gemma3:4b', attempts: [] }, ['ollama/gemma3:4b']],
    ['a direct request that failed', { requestedModel: 'groq/x', status: 404, resolved: undefined, attempts: [] }, []],
    ['a direct 503 whose attempt names the caller\'s model', { requestedModel: 'groq/x', status: 503, attempts: [{ model: 'groq/x', reason: 'upstream_5xx' }] }, []],
    // A stream cut after its first chunk had a resolved model but did not end well.
    ['a direct stream that failed after it began', { requestedModel: 'groq/x', status: 502, resolved: 'groq/x', attempts: [] }, []],
    ['a cancelled direct stream', { requestedModel: 'groq/x', status: 499, resolved: 'groq/x', attempts: [] }, []],
    [
      'an alias request: its attempts and answer',
      { requestedModel: 'mana/chain', status: 200, resolved: 'groq/b', attempts: [{ model: 'together/a', reason: 'unconfigured' }] },
      ['together/a', 'groq/b'],
    ],
    ['an alias request that failed', { requestedModel: 'mana/chain', status: 503, attempts: [{ model: 'ollama/a', reason: 'timeout' }] }, ['ollama/a']],
    ['an alias no longer in force', { requestedModel: 'mana/gone', status: 503, attempts: [{ model: 'ollama/a', reason: 'timeout' }] }, []],
  ];
  for (const [what, end, expected] of cases) test(what, () => assert.deepEqual(learnedFromEnd(end, aliases), expected));
});

describe('learnedFromFallback: only a fallback to a next entry proves a chain', () => {
  const cases: Array<[string, string, string[]]> = [
    ['ollama/a', 'groq/b', ['ollama/a', 'groq/b']],
    ['groq/caller-chosen', 'none', []],
  ];
  for (const [from, to, expected] of cases) test(`${from} → ${to}`, () => assert.deepEqual(learnedFromFallback({ from, to }), expected));
});

describe('learnedFromAlias: the target of an alias in force', () => {
  const cases: Array<[string, string, string[]]> = [
    ['mana/chain', 'groq/b', ['groq/b']],
    ['mana/chain', 'none', []],
    ['mana/gone', 'groq/b', []],
  ];
  for (const [alias, target, expected] of cases) test(`${alias} → ${target}`, () => assert.deepEqual(learnedFromAlias({ alias, target }, aliases), expected));
});

describe('KnownModels', () => {
  const cases: Array<[string, string, boolean]> = [
    ['a provider/model name', 'ollama/gemma3:4b', true],
    ['a model whose own name has slashes', 'openrouter/meta-llama/llama-3.1-8b', true],
    ['none', 'none', false],
    ['no provider prefix', 'gemma3:4b', false],
    ['an empty model', 'groq/', false],
    ['an empty provider', '/gemma3:4b', false],
    ['a name over 200 characters', `ollama/${'x'.repeat(200)}`, false],
  ];
  for (const [what, name, learnable] of cases) {
    test(`learns ${what}: ${learnable}`, () => {
      const known = new KnownModels();
      known.learn([name]);
      assert.equal(known.has(name), learnable);
    });
  }

  test('stops growing at its limit', () => {
    const known = new KnownModels(3);
    known.learn(['p/a', 'p/b']);
    known.learn(['p/c', 'p/d', 'p/e']);
    known.learn(['p/a']);
    assert.equal(known.size, 3);
    assert.deepEqual(['p/a', 'p/b', 'p/c', 'p/d'].map((n) => known.has(n)), [true, true, true, false]);
  });

  test('the default limit is 500', () => {
    const known = new KnownModels();
    known.learn(Array.from({ length: 1000 }, (_, i) => `ollama/m${i}`));
    assert.equal(known.size, 500);
  });
});
