import type { Capabilities } from '../../core/index.ts';

/** The capability flags an operator can switch off for an upstream that lacks them; chat and stream are implied. */
export type CapabilityFlags = Pick<Capabilities, 'vision' | 'tools' | 'json' | 'jsonSchema' | 'embeddings'>;

export interface OpenAICompatOptions {
  /** Includes the version path (`https://api.groq.com/openai/v1`); `/chat/completions` etc. are appended. */
  baseUrl: string;
  apiKey?: string;
  requireApiKey?: boolean;
  /** Extra headers on every request (OpenRouter's `HTTP-Referer`, `X-Title`). */
  headers?: Record<string, string>;
  capabilities?: Partial<CapabilityFlags>;
  /** Served by `listModels` when the upstream's `GET /models` fails or does not exist. */
  models?: string[];
}

const capability = { type: 'boolean', default: true };

export const optionsSchema = {
  type: 'object',
  required: ['baseUrl'],
  // Unknown keys are refused so a misspelt option (`apikey`) stops the start instead of being ignored.
  additionalProperties: false,
  properties: {
    baseUrl: { type: 'string', minLength: 1, pattern: '^https?://' },
    apiKey: { type: 'string', default: '' },
    requireApiKey: { type: 'boolean', default: true },
    headers: { type: 'object', additionalProperties: { type: 'string' }, default: {} },
    capabilities: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: { vision: capability, tools: capability, json: capability, jsonSchema: capability, embeddings: capability },
    },
    models: { type: 'array', items: { type: 'string', minLength: 1 } },
  },
} as const;

/** Why these options cannot run, or undefined. */
export function unconfiguredReason(options: OpenAICompatOptions): string | undefined {
  if ((options.requireApiKey ?? true) && !options.apiKey) return 'no API key (apiKey is empty)';
  return undefined;
}

/** The capability flags with the schema's defaults applied, for callers that bypassed the loader. */
export function capabilityFlags(options: OpenAICompatOptions): CapabilityFlags {
  const given = options.capabilities ?? {};
  return {
    vision: given.vision ?? true,
    tools: given.tools ?? true,
    json: given.json ?? true,
    jsonSchema: given.jsonSchema ?? true,
    embeddings: given.embeddings ?? true,
  };
}

/**
 * The headers sent on every request: the operator's extras (names lower-cased so they cannot duplicate
 * ours) and `authorization` when a key is set.
 */
export function requestHeaders(options: OpenAICompatOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(options.headers ?? {})) headers[name.toLowerCase()] = value;
  if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;
  return headers;
}
