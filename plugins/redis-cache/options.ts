export interface RedisCacheOptions {
  /** `redis://[user:password@]host:port[/db]` or `rediss://…`; empty leaves the plugin unconfigured. */
  url?: string;
  keyPrefix?: string;
  /** Bound on every Redis command; past it the command rejects and the core answers uncached. */
  commandTimeoutMs?: number;
  connectTimeoutMs?: number;
  /** Values larger than this (UTF-8 bytes) are silently not stored. */
  maxValueBytes?: number;
}

export type RedisCacheSettings = Required<RedisCacheOptions>;

const DEFAULTS: RedisCacheSettings = {
  url: '',
  keyPrefix: 'mana-llm:cache:',
  commandTimeoutMs: 150,
  connectTimeoutMs: 1000,
  maxValueBytes: 1024 * 1024,
};

export const optionsSchema = {
  type: 'object',
  // Unknown keys are refused so a misspelt option stops the start instead of being ignored.
  additionalProperties: false,
  properties: {
    // Empty is allowed (REDIS_URL unset); anything else must be a URL ioredis understands.
    url: { type: 'string', default: DEFAULTS.url, pattern: '^(rediss?://.+)?$' },
    keyPrefix: { type: 'string', default: DEFAULTS.keyPrefix },
    commandTimeoutMs: { type: 'integer', minimum: 1, default: DEFAULTS.commandTimeoutMs },
    connectTimeoutMs: { type: 'integer', minimum: 1, default: DEFAULTS.connectTimeoutMs },
    maxValueBytes: { type: 'integer', minimum: 1, default: DEFAULTS.maxValueBytes },
  },
} as const;

/** Why these options cannot run, or undefined. */
export function unconfiguredReason(options: RedisCacheOptions): string | undefined {
  return options.url ? undefined : 'REDIS_URL is not set';
}

/** The options with the schema's defaults applied, for callers that bypassed the loader. */
export function resolveOptions(options: RedisCacheOptions): RedisCacheSettings {
  return {
    url: options.url ?? DEFAULTS.url,
    keyPrefix: options.keyPrefix ?? DEFAULTS.keyPrefix,
    commandTimeoutMs: options.commandTimeoutMs ?? DEFAULTS.commandTimeoutMs,
    connectTimeoutMs: options.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs,
    maxValueBytes: options.maxValueBytes ?? DEFAULTS.maxValueBytes,
  };
}
