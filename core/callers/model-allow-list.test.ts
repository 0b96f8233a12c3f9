import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ModelAllowList, patternProblem } from './model-allow-list.ts';

describe('allows: exact names and prefixes ending in *', () => {
  const list = new ModelAllowList(['mana/fast-text', 'ollama/*', 'groq/llama-3.1-8b-instant']);
  const cases: Array<[string, boolean]> = [
    ['mana/fast-text', true],
    ['mana/fast-text-2', false],
    ['mana/structured', false],
    ['ollama/gemma3:4b', true],
    ['ollama/hf.co/org/repo:Q4', true],
    ['groq/llama-3.1-8b-instant', true],
    ['groq/llama-3.3-70b-versatile', false],
    ['', false],
  ];
  for (const [name, allowed] of cases) test(`${name || '(empty)'} → ${allowed}`, () => assert.equal(list.allows(name), allowed));
});

describe('patternProblem: a pattern must name an alias or a provider of the profile', () => {
  const aliases = ['mana/fast-text', 'mana/long-form'];
  const providers = ['ollama', 'groq'];
  const cases: Array<[string, RegExp | undefined]> = [
    ['mana/*', undefined],
    ['mana/fast*', undefined],
    ['mana/fast-text', undefined],
    ['ollama/*', undefined],
    ['ollama/gemma3:4b', undefined],
    ['groq/llama-3.1-8b-instant', undefined],
    ['oll*', undefined],
    ['*', undefined],
    ['mana/zzz*', /matches no alias and no provider/],
    ['mana/nope', /names no alias of the alias file/],
    ['openai/*', /matches no alias and no provider/],
    ['openai/gpt-4o', /names no alias and no provider/],
    ['ollama/', /names no alias and no provider/],
    ['gemma3:4b', /names no alias and no provider/],
    ['mana/*/x*', /may only end a pattern/],
  ];
  for (const [pattern, problem] of cases) {
    test(pattern, () => {
      const found = patternProblem(pattern, aliases, providers);
      if (problem === undefined) assert.equal(found, undefined);
      else assert.match(found ?? '', problem);
    });
  }
});
