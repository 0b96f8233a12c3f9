import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { AliasFileError } from '../errors/alias-file-error.ts';
import { parseAliasFile, readAliasFile } from './alias-file.ts';

const good = `
default: mana/fast-text
aliases:
  mana/fast-text:
    description: Short answers
    chain: [ollama/gemma3:4b, groq/llama-3.1-8b-instant]
`;

test('a valid file loads with its default, descriptions and chains in order', () => {
  const set = parseAliasFile(good, 'aliases.yaml');
  assert.equal(set.default, 'mana/fast-text');
  assert.deepEqual(set.aliases.get('mana/fast-text'), {
    name: 'mana/fast-text',
    description: 'Short answers',
    chain: ['ollama/gemma3:4b', 'groq/llama-3.1-8b-instant'],
  });
});

test('an alias may set its own cache TTL', () => {
  const set = parseAliasFile('aliases:\n  mana/a: {chain: [groq/x], cacheTtl: 0}', 'test');
  assert.equal(set.aliases.get('mana/a')!.cacheTtl, 0);
});

describe('rejected files say why', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['YAML that does not parse', 'aliases: [', /not valid YAML/],
    ['a name outside mana/', 'aliases:\n  fast: {chain: [groq/x]}', /must be named mana\//],
    ['an empty chain', 'aliases:\n  mana/a: {chain: []}', /chain is empty/],
    ['an entry without a provider prefix', 'aliases:\n  mana/a: {chain: [gemma3]}', /must be provider\/model/],
    ['a default that names no alias', 'default: mana/b\naliases:\n  mana/a: {chain: [groq/x]}', /default "mana\/b" names no alias/],
    ['an unknown key in an alias', 'aliases:\n  mana/a: {chain: [groq/x], ttl: 5}', /unknown key "ttl"/],
    ['a negative cacheTtl', 'aliases:\n  mana/a: {chain: [groq/x], cacheTtl: -1}', /must be >= 0/],
    ['an unknown top-level key', 'extra: 1\naliases:\n  mana/a: {chain: [groq/x]}', /unknown key "extra"/],
    ['no aliases at all', 'default: null', /aliases/],
    ['a chain that is not a list', 'aliases:\n  mana/a: {chain: groq/x}', /array/],
  ];
  for (const [what, text, message] of cases) {
    test(what, () => {
      assert.throws(() => parseAliasFile(text, 'aliases.yaml'), (err: unknown) => err instanceof AliasFileError && message.test(err.message));
    });
  }
});

test('the shipped aliases.yaml loads, and every chain ends with a cloud provider', async () => {
  const set = await readAliasFile(fileURLToPath(new URL('../../aliases.yaml', import.meta.url)));
  for (const name of ['mana/fast-text', 'mana/long-form', 'mana/structured', 'mana/reasoning', 'mana/vision']) {
    const alias = set.aliases.get(name);
    assert.ok(alias, `${name} is shipped`);
    assert.ok(alias.description.length > 0, `${name} has a description`);
    assert.notEqual(alias.chain.at(-1)!.split('/')[0], 'ollama', `${name} ends with a cloud provider`);
  }
  assert.ok(set.default === null || set.aliases.has(set.default), `the default alias is shipped (got ${set.default})`);
});
