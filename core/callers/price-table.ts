import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import yaml from 'js-yaml';
import type { Usage } from '../contracts/openai.ts';
import { StartupError } from '../errors/startup-error.ts';

/** USD per 1M tokens. */
export interface Price {
  input: number;
  /** Prompt tokens the provider served from its own cache; `input` when absent. */
  cachedInput?: number;
  output: number;
}

export type Prices = Record<string, Price>;

/** The shape of `config/prices.yaml`'s `prices:` and of a profile's `prices:` section. */
export const pricesSchema = {
  type: 'object',
  propertyNames: { pattern: '^[a-z0-9][a-z0-9_-]*/.+$' },
  additionalProperties: {
    type: 'object',
    additionalProperties: false,
    required: ['input', 'output'],
    properties: {
      input: { type: 'number', minimum: 0 },
      cachedInput: { type: 'number', minimum: 0 },
      output: { type: 'number', minimum: 0 },
    },
  },
} as const;

const validateFile = new Ajv({ allErrors: true, strict: false }).compile({
  type: 'object',
  additionalProperties: false,
  required: ['prices'],
  properties: { prices: pricesSchema },
});

/** Reads and checks the shipped price table (`config/prices.yaml` under the project root); a problem is `MANA_ERR_PRICES`. */
export async function readShippedPrices(root: string): Promise<Prices> {
  const path = join(root, 'config', 'prices.yaml');
  let data: unknown;
  try {
    data = yaml.load(await readFile(path, 'utf8'));
  } catch (err) {
    throw new StartupError('MANA_ERR_PRICES', `the price table ${path} cannot be read: ${(err as Error).message.split('\n')[0]}`);
  }
  if (!validateFile(data)) {
    const detail = (validateFile.errors ?? []).map((e) => `${e.instancePath.slice(1).replaceAll('/', '.') || 'the file'} ${e.message}`).join('; ');
    throw new StartupError('MANA_ERR_PRICES', `the price table ${path} is invalid: ${detail}`);
  }
  return (data as { prices: Prices }).prices;
}

/**
 * The prices in force: the shipped table with the profile's `prices:` over it (entry by entry). Cost is
 * worked out in nano-dollars: tokens × USD per 1M tokens is micro-dollars, so × 1000 and one rounding at
 * the end — the same counts always give the same whole number, whether they came from a stream's last
 * chunk or a whole answer, and totals add up exactly.
 */
export class PriceTable {
  private readonly prices: ReadonlyMap<string, Price>;

  constructor(shipped: Prices, overrides: Prices = {}) {
    this.prices = new Map(Object.entries({ ...shipped, ...overrides }));
  }

  priceOf(resolved: string): Price | undefined {
    return this.prices.get(resolved);
  }

  /** The cost of these counts at `resolved`'s price, nano-dollars; undefined without a price. */
  costNanoUsd(resolved: string, usage: Usage): number | undefined {
    const price = this.prices.get(resolved);
    return price && costOf(price, usage);
  }
}

/**
 * Cached prompt tokens at `cachedInput`, the rest of the prompt at `input`, completion tokens (reasoning
 * included: the CONTRACT counts them in `completion_tokens`) at `output`. A provider that reports more
 * cached tokens than prompt tokens is taken at its prompt count: the cache cannot hold more than was sent.
 */
export function costOf(price: Price, usage: Usage): number {
  const prompt = count(usage.prompt_tokens);
  const cached = Math.min(count(usage.prompt_tokens_details?.cached_tokens), prompt);
  const completion = count(usage.completion_tokens);
  const microUsd = (prompt - cached) * price.input + cached * (price.cachedInput ?? price.input) + completion * price.output;
  return Math.round(microUsd * 1000);
}

function count(value: number | undefined): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
}
