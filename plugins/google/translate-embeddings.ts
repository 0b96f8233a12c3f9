import type { Content, EmbedContentConfig, EmbedContentResponse } from '@google/genai';
import { InvalidRequestError, UpstreamProtocolError, type EmbeddingRequest, type EmbeddingResponse } from '../../core/index.ts';

/**
 * OpenAI `input` → one Gemini content per text, for a single batchEmbedContents call. Contents rather
 * than bare strings: given strings, the SDK merges them into one multi-part content for some models.
 */
export function toEmbedContents(request: EmbeddingRequest): Content[] {
  const input = request.input;
  const texts = typeof input === 'string' ? [input] : input;
  if (!Array.isArray(texts) || texts.length === 0) {
    throw new InvalidRequestError('input must be a string or a non-empty array of strings.', 'input');
  }
  return texts.map((text, i) => {
    if (typeof text !== 'string') {
      throw new InvalidRequestError(`input[${i}] must be a string; Gemini embeds text, not token arrays.`, `input[${i}]`);
    }
    if (text === '') throw new InvalidRequestError(`input[${i}] is empty; Gemini cannot embed an empty text.`, `input[${i}]`);
    return { role: 'user', parts: [{ text }] };
  });
}

export function toEmbedConfig(request: EmbeddingRequest): EmbedContentConfig {
  const config: EmbedContentConfig = {};
  if (typeof request.dimensions === 'number') config.outputDimensionality = request.dimensions;
  return config;
}

/** Gemini's embeddings (same order as the requests) → an OpenAI embedding list of floats. */
export function toEmbeddingResponse(response: EmbedContentResponse, count: number, provider: string, model: string): EmbeddingResponse {
  const embeddings = response.embeddings ?? [];
  if (embeddings.length !== count || embeddings.some((e) => !Array.isArray(e.values))) {
    throw new UpstreamProtocolError(`${provider}: asked for ${count} embeddings, got ${embeddings.length} usable ones.`);
  }
  return {
    object: 'list',
    data: embeddings.map((e, index) => ({ object: 'embedding', index, embedding: e.values as number[] })),
    model,
    // The Gemini API reports no token counts for embeddings.
    usage: { prompt_tokens: 0, total_tokens: 0 },
  };
}
