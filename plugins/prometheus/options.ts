// The plugin's options: JSON Schema for the loader, and a resolver that fills the defaults again because
// create() may also be called without the loader, and because histogram buckets must be sorted and unique.

/** LLM latencies run from tens of milliseconds (a cached or tiny answer) to minutes (a long generation). */
export const DEFAULT_DURATION_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120];
/** A first token comes sooner than the whole answer; a cold model load can still take a minute. */
export const DEFAULT_TTFT_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 20, 30, 60];
export const DEFAULT_PATH = '/metrics';

const bucketList = {
  type: 'array',
  items: { type: 'number', exclusiveMinimum: 0 },
  minItems: 1,
  maxItems: 40,
};

export const optionsSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    // No `:` or `*`: the router would read them as parameters.
    path: { type: 'string', pattern: '^/[A-Za-z0-9._~/-]*$', default: DEFAULT_PATH },
    buckets: {
      type: 'object',
      additionalProperties: false,
      properties: { duration: bucketList, ttft: bucketList },
    },
    defaultMetrics: { type: 'boolean', default: true },
    // Empty means unset, so a profile can pass `${METRICS_TOKEN:-}`.
    token: { type: 'string', maxLength: 512 },
  },
} as const;

export interface PrometheusOptions {
  path?: string;
  buckets?: { duration?: number[]; ttft?: number[] };
  defaultMetrics?: boolean;
  token?: string;
}

export interface PrometheusSettings {
  path: string;
  durationBuckets: number[];
  ttftBuckets: number[];
  defaultMetrics: boolean;
  /** When set, scrapes must present it as a bearer token, and the gateway's API keys do not apply. */
  token: string | undefined;
}

export function resolveOptions(options: PrometheusOptions | undefined): PrometheusSettings {
  const o = options ?? {};
  return {
    path: o.path || DEFAULT_PATH,
    durationBuckets: bucketsOrDefault(o.buckets?.duration, DEFAULT_DURATION_BUCKETS),
    ttftBuckets: bucketsOrDefault(o.buckets?.ttft, DEFAULT_TTFT_BUCKETS),
    defaultMetrics: o.defaultMetrics ?? true,
    token: o.token ? o.token : undefined,
  };
}

/** prom-client wants upper bounds in ascending order without repeats; an operator's list may have either. */
export function bucketsOrDefault(given: number[] | undefined, fallback: number[]): number[] {
  const valid = (given ?? []).filter((b) => Number.isFinite(b) && b > 0);
  if (valid.length === 0) return [...fallback];
  return [...new Set(valid)].sort((a, b) => a - b);
}
