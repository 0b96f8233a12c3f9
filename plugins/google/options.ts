/** The options a profile gives the `google` plugin (after ajv applied the defaults). */
export interface GoogleOptions {
  /** The Gemini API key; empty leaves the provider unconfigured. */
  apiKey: string;
  /** An origin (`https://generativelanguage.googleapis.com`); the SDK appends `/{apiVersion}/models/…`. */
  baseUrl?: string;
  /** Used when a call names no model. */
  defaultModel: string;
  apiVersion: string;
}

export const DEFAULT_MODEL = 'gemini-2.5-flash';
export const DEFAULT_API_VERSION = 'v1beta';
// Passed explicitly so that the SDK never falls back to GOOGLE_GEMINI_BASE_URL from the environment.
export const DEFAULT_BASE_URL = 'https://generativelanguage.googleapis.com';

export const optionsSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    apiKey: { type: 'string', default: '', description: 'Gemini API key (GOOGLE_API_KEY); empty = unconfigured' },
    // Empty is allowed so that a profile can write `${GOOGLE_BASE_URL:-}`.
    baseUrl: { type: 'string', pattern: '^(https?://[^\\s]+)?$', description: 'origin of the Gemini API, without version path' },
    defaultModel: { type: 'string', minLength: 1, default: DEFAULT_MODEL },
    apiVersion: { type: 'string', pattern: '^[a-z0-9]+$', default: DEFAULT_API_VERSION },
  },
} as const;

/** Fills what the loader's defaults would have filled, for callers that create the plugin directly. */
export function resolveOptions(options: Partial<GoogleOptions>): Required<GoogleOptions> {
  return {
    apiKey: options.apiKey ?? '',
    baseUrl: options.baseUrl ? options.baseUrl.replace(/\/+$/, '') : DEFAULT_BASE_URL,
    defaultModel: options.defaultModel || DEFAULT_MODEL,
    apiVersion: options.apiVersion || DEFAULT_API_VERSION,
  };
}

export function unconfiguredReason(options: Partial<GoogleOptions>): string | undefined {
  return options.apiKey ? undefined : 'no API key (apiKey is empty)';
}
