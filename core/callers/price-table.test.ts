import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Usage } from '../contracts/openai.ts';
import { PROJECT_ROOT } from '../project-root.ts';
import { formatUsd } from './accounting.ts';
import { costOf, PriceTable, readShippedPrices, type Price } from './price-table.ts';

const usage = (prompt: number, completion: number, cached?: number, reasoning?: number): Usage => ({
  prompt_tokens: prompt,
  completion_tokens: completion,
  total_tokens: prompt + completion,
  ...(cached === undefined ? {} : { prompt_tokens_details: { cached_tokens: cached } }),
  ...(reasoning === undefined ? {} : { completion_tokens_details: { reasoning_tokens: reasoning } }),
});

describe('costOf: nano-dollars from the provider\'s counts', () => {
  const flash: Price = { input: 0.3, cachedInput: 0.075, output: 2.5 };
  const groq: Price = { input: 0.05, output: 0.08 };
  const cases: Array<[string, Price, Usage, number]> = [
    ['nothing used', groq, usage(0, 0), 0],
    ['prompt and completion', groq, usage(12, 7), 12 * 50 + 7 * 80],
    ['no cachedInput: cached tokens at the input price', groq, usage(100, 0, 40), 100 * 50],
    ['cached tokens at the cached price', flash, usage(1000, 10, 400), 600 * 300 + 400 * 75 + 10 * 2500],
    ['all of the prompt cached', flash, usage(1000, 0, 1000), 1000 * 75],
    ['more cached than sent is taken at the prompt count', flash, usage(100, 0, 250), 100 * 75],
    ['reasoning tokens are inside completion_tokens, not added again', flash, usage(10, 500, undefined, 400), 10 * 300 + 500 * 2500],
    ['a million prompt tokens cost the input price in dollars', groq, usage(1_000_000, 0), 50_000_000],
    ['big counts stay exact', { input: 1.25, output: 10 }, usage(123_456_789, 98_765_432), 123_456_789 * 1250 + 98_765_432 * 10_000],
    ['odd prices round once, at the end', { input: 0.013, output: 0.0007 }, usage(3, 3), Math.round(3 * 13 + 3 * 0.7)],
    ['negative or broken counts count as none', groq, { prompt_tokens: -5, completion_tokens: Number.NaN, total_tokens: 0 }, 0],
  ];
  for (const [what, price, counts, nano] of cases) test(what, () => assert.equal(costOf(price, counts), nano));
});

test('the same counts cost the same to the nano-dollar, however often they are priced', () => {
  const table = new PriceTable({ 'google/gemini-2.5-flash': { input: 0.3, cachedInput: 0.075, output: 2.5 } });
  const whole = table.costNanoUsd('google/gemini-2.5-flash', usage(1234, 567, 89));
  const streamed = table.costNanoUsd('google/gemini-2.5-flash', { ...usage(1234, 567, 89) });
  assert.equal(whole, streamed);
  assert.equal(formatUsd(whole!), '0.001767675'); // 1145 × 0.30 + 89 × 0.075 + 567 × 2.50 micro-dollars
});

test('a profile\'s prices override the shipped ones entry by entry, and an unknown model has no cost', () => {
  const table = new PriceTable({ 'groq/a': { input: 1, output: 1 }, 'groq/b': { input: 2, output: 2 } }, { 'groq/b': { input: 3, output: 3 }, 'together/c': { input: 4, output: 4 } });
  assert.deepEqual(['groq/a', 'groq/b', 'together/c'].map((m) => table.priceOf(m)?.input), [1, 3, 4]);
  assert.equal(table.costNanoUsd('groq/unknown', usage(10, 10)), undefined);
});

test('the shipped table prices every cloud model of the shipped aliases', async () => {
  const prices = await readShippedPrices(PROJECT_ROOT);
  const { readAliasFile } = await import('../routing/alias-file.ts');
  const aliases = await readAliasFile(`${PROJECT_ROOT}/aliases.yaml`);
  const cloud = [...aliases.aliases.values()].flatMap((a) => a.chain).filter((entry) => !entry.startsWith('ollama/'));
  assert.ok(cloud.length > 0);
  for (const entry of new Set(cloud)) assert.ok(prices[entry], `config/prices.yaml has no price for ${entry}`);
});
