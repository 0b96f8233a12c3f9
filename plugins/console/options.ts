// The console's options: where it lives, how many recent requests it keeps, how often the page refreshes.

export const DEFAULT_PATH = '/console';
export const DEFAULT_RECENT_REQUESTS = 200;
export const DEFAULT_REFRESH_SECONDS = 5;
export const DEFAULT_KEY_PREFIX = 'mana-llm:console:';

export const optionsSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    // No `:` or `*`: the router would read them as parameters; not `/` alone: the console needs a path of its own.
    path: { type: 'string', pattern: '^/[A-Za-z0-9._~-][A-Za-z0-9._~/-]*$', default: DEFAULT_PATH },
    // The ring of recent request summaries: bounded memory (a summary is a few hundred bytes).
    recentRequests: { type: 'integer', minimum: 10, maximum: 5000, default: DEFAULT_RECENT_REQUESTS },
    refreshSeconds: { type: 'integer', minimum: 1, maximum: 300, default: DEFAULT_REFRESH_SECONDS },
    // Replicas sharing a Redis show one console: every replica's recent requests and minutes. Empty: this process's own.
    redisUrl: { type: 'string', default: '', pattern: '^(rediss?://.+)?$' },
    keyPrefix: { type: 'string', default: DEFAULT_KEY_PREFIX },
  },
} as const;

export interface ConsoleOptions {
  path?: string;
  recentRequests?: number;
  refreshSeconds?: number;
  redisUrl?: string;
  keyPrefix?: string;
}

export interface ConsoleSettings {
  /** The page's path, without a trailing slash; its assets and data live under it. */
  path: string;
  recentRequests: number;
  refreshSeconds: number;
  redisUrl: string;
  keyPrefix: string;
}

/** Fills the defaults again: create() may be called without the loader (tests). */
export function resolveOptions(options: ConsoleOptions | undefined): ConsoleSettings {
  return {
    path: (options?.path ?? DEFAULT_PATH).replace(/\/+$/, '') || DEFAULT_PATH,
    recentRequests: options?.recentRequests ?? DEFAULT_RECENT_REQUESTS,
    refreshSeconds: options?.refreshSeconds ?? DEFAULT_REFRESH_SECONDS,
    redisUrl: options?.redisUrl ?? '',
    keyPrefix: options?.keyPrefix ?? DEFAULT_KEY_PREFIX,
  };
}
