import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseAliasFile } from './alias-file.ts';
import { resolveModel } from './model-resolver.ts';

const aliases = parseAliasFile(
  'default: mana/fast\naliases:\n  mana/fast: {chain: [ollama/gemma3:4b, groq/llama-3.1-8b-instant]}\n',
  'test',
);
const noDefault = parseAliasFile('aliases:\n  mana/fast: {chain: [ollama/gemma3:4b]}\n', 'test');
const providers = new Set(['ollama', 'groq', 'openrouter', 'google']);
const options = { knowsProvider: (n: string) => providers.has(n), unprefixedProvider: 'ollama', defaultModel: 'ollama/gemma3:4b' };

const cases: Array<[string | undefined, object, string[], string | undefined]> = [
  ['mana/fast', aliases, ['ollama/gemma3:4b', 'groq/llama-3.1-8b-instant'], 'mana/fast'],
  ['groq/llama-3.1-8b-instant', aliases, ['groq/llama-3.1-8b-instant'], undefined],
  ['openrouter/meta-llama/llama-3.1-8b-instruct', aliases, ['openrouter/meta-llama/llama-3.1-8b-instruct'], undefined],
  ['gemma3:4b', aliases, ['ollama/gemma3:4b'], undefined],
  ['hf.co/org/repo:Q4', aliases, ['ollama/hf.co/org/repo:Q4'], undefined],
  ['meta-llama/llama-3', aliases, ['ollama/meta-llama/llama-3'], undefined],
  ['ollama/qwen3:8b', aliases, ['ollama/qwen3:8b'], undefined],
  [undefined, aliases, ['ollama/gemma3:4b', 'groq/llama-3.1-8b-instant'], 'mana/fast'],
  ['', aliases, ['ollama/gemma3:4b', 'groq/llama-3.1-8b-instant'], 'mana/fast'],
  [undefined, noDefault, ['ollama/gemma3:4b'], undefined],
];

for (const [model, set, chain, alias] of cases) {
  test(`resolves ${JSON.stringify(model)} to ${chain.join(' → ')}`, () => {
    const resolution = resolveModel(model, set as typeof aliases, options);
    assert.deepEqual(resolution.chain.map((e) => e.resolved), chain);
    assert.equal(resolution.alias?.name, alias);
    if (alias) assert.equal(resolution.alias, (set as typeof aliases).aliases.get(alias), 'the alias object of the set itself');
  });
}

test('the model of an entry keeps everything after the first slash', () => {
  const [entry] = resolveModel('openrouter/meta-llama/llama-3.1-8b-instruct', aliases, options).chain;
  assert.deepEqual(entry, { provider: 'openrouter', model: 'meta-llama/llama-3.1-8b-instruct', resolved: 'openrouter/meta-llama/llama-3.1-8b-instruct' });
});

test('an unknown alias is model_not_found', () => {
  assert.throws(() => resolveModel('mana/nope', aliases, options), { code: 'model_not_found', status: 404 });
});

test('a provider prefix with no model is an invalid request', () => {
  assert.throws(() => resolveModel('groq/', aliases, options), { code: 'invalid_request', param: 'model' });
});

test('without an unprefixed provider an unknown name is model_not_found', () => {
  assert.throws(() => resolveModel('gemma3:4b', aliases, { knowsProvider: () => false }), { code: 'model_not_found' });
});
