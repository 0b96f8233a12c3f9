export interface MemoryCacheOptions {
  /** Bound on the bytes the cache holds (keys, values and a fixed per-entry overhead). */
  maxBytes?: number;
  /** An entry larger than this (key, value and overhead) is silently not stored. */
  maxEntryBytes?: number;
}

export type MemoryCacheSettings = Required<MemoryCacheOptions>;

const MiB = 1024 * 1024;
const DEFAULTS: MemoryCacheSettings = { maxBytes: 64 * MiB, maxEntryBytes: 1 * MiB };

export const optionsSchema = {
  type: 'object',
  // Unknown keys are refused so a misspelt option stops the start instead of being ignored.
  additionalProperties: false,
  properties: {
    maxBytes: { type: 'integer', minimum: 1, default: DEFAULTS.maxBytes },
    maxEntryBytes: { type: 'integer', minimum: 1, default: DEFAULTS.maxEntryBytes },
  },
} as const;

/** The options with the schema's defaults applied, for callers that bypassed the loader. */
export function resolveOptions(options: MemoryCacheOptions): MemoryCacheSettings {
  return {
    maxBytes: options.maxBytes ?? DEFAULTS.maxBytes,
    maxEntryBytes: options.maxEntryBytes ?? DEFAULTS.maxEntryBytes,
  };
}
