// The plugin's options: JSON Schema for the loader, and a resolver that fills defaults again because
// create() may be called without the loader (tests, embedding the plugin elsewhere).

/** Model families that Ollama's templates let call tools. A leading `!` excludes (see model-patterns.ts). */
export const DEFAULT_TOOL_MODELS = [
  'llama3.1', 'llama3.2', '!llama3.2-vision', 'llama3.3', 'llama4', 'qwen2.5', '!qwen2.5vl', 'qwen3', 'qwq',
  'mistral', 'mistral-nemo', 'mistral-small', 'mistral-large', 'mixtral', 'devstral', 'magistral',
  'command-r', 'command-a', 'firefunction', 'hermes3', 'granite3', '!granite3.2-vision', 'smollm2', 'gpt-oss',
  'cogito', 'nemotron', 'athene-v2',
];

export const DEFAULT_VISION_MODELS = [
  'llava', 'bakllava', 'llama3.2-vision', 'llama4', 'gemma3', '!gemma3:1b', '!gemma3:270m', 'qwen2.5vl',
  'qwen3-vl', 'minicpm-v', 'moondream', 'granite3.2-vision', 'mistral-small3.1', 'mistral-small3.2',
];

export const DEFAULT_EMBEDDING_MODELS = [
  'nomic-embed-text', 'mxbai-embed-large', 'all-minilm', 'bge-m3', 'bge-large', 'snowflake-arctic-embed',
  'embeddinggemma', 'qwen3-embedding', 'paraphrase-multilingual',
];

export const DEFAULT_BASE_URL = 'http://localhost:11434';

const patternList = (defaults: string[]) => ({
  type: 'array',
  items: { type: 'string', minLength: 1 },
  default: defaults,
});

export const optionsSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    baseUrl: { type: 'string', pattern: '^https?://[^\\s]+$', default: DEFAULT_BASE_URL },
    // Ollama takes a duration string ("10m") or seconds as a number (-1 = keep loaded).
    keepAlive: { type: ['string', 'number'] },
    numCtx: { type: 'integer', minimum: 1 },
    toolModels: patternList(DEFAULT_TOOL_MODELS),
    visionModels: patternList(DEFAULT_VISION_MODELS),
    embeddingModels: patternList(DEFAULT_EMBEDDING_MODELS),
  },
} as const;

export interface OllamaOptions {
  baseUrl?: string;
  keepAlive?: string | number;
  numCtx?: number;
  toolModels?: string[];
  visionModels?: string[];
  embeddingModels?: string[];
}

export interface OllamaSettings {
  baseUrl: string;
  keepAlive: string | number | undefined;
  numCtx: number | undefined;
  toolModels: readonly string[];
  visionModels: readonly string[];
  embeddingModels: readonly string[];
}

export function resolveOptions(options: OllamaOptions | undefined): OllamaSettings {
  const o = options ?? {};
  return {
    baseUrl: o.baseUrl || DEFAULT_BASE_URL,
    keepAlive: keepAliveValue(o.keepAlive),
    numCtx: o.numCtx,
    toolModels: o.toolModels ?? DEFAULT_TOOL_MODELS,
    visionModels: o.visionModels ?? DEFAULT_VISION_MODELS,
    embeddingModels: o.embeddingModels ?? DEFAULT_EMBEDDING_MODELS,
  };
}

/**
 * `${OLLAMA_KEEP_ALIVE}` arrives as a string, but Ollama parses a string as a Go duration, and "-1" or
 * "300" have no unit: send bare numbers as numbers (seconds) so they mean what they say.
 */
export function keepAliveValue(value: string | number | undefined): string | number | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim())) return Number(value);
  return value;
}
