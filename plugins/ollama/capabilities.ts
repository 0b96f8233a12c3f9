import type { Capabilities } from '../../core/index.ts';
import { matchesModel } from './model-patterns.ts';
import type { OllamaSettings } from './options.ts';

type Patterns = Pick<OllamaSettings, 'toolModels' | 'visionModels' | 'embeddingModels'>;

/** Ollama's own answer: the `capabilities` array of `/api/show` (`completion`, `tools`, `vision`, `embedding`, …). */
export function capabilitiesFromShow(list: readonly string[]): Capabilities {
  const chat = list.includes('completion');
  return {
    chat,
    stream: chat,
    embeddings: list.includes('embedding'),
    vision: list.includes('vision'),
    tools: list.includes('tools'),
    // Ollama constrains any chat model's output with `format` (grammar-based), so both JSON modes work.
    json: chat,
    jsonSchema: chat,
  };
}

/** The guess from the configured name patterns, for servers that cannot tell. */
export function capabilitiesFromPatterns(model: string, patterns: Patterns): Capabilities {
  const embeddings = matchesModel(model, patterns.embeddingModels);
  const chat = !embeddings;
  return {
    chat,
    stream: chat,
    embeddings,
    vision: chat && matchesModel(model, patterns.visionModels),
    tools: chat && matchesModel(model, patterns.toolModels),
    json: chat,
    jsonSchema: chat,
  };
}

/** The `capabilities` array of a `/api/show` body, or undefined when the server is too old to send one. */
export function showCapabilityList(body: unknown): string[] | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const list = (body as { capabilities?: unknown }).capabilities;
  if (!Array.isArray(list)) return undefined;
  return list.filter((c): c is string => typeof c === 'string');
}
