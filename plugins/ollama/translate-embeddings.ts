import { InvalidRequestError, UpstreamProtocolError, type EmbeddingRequest, type EmbeddingResponse } from '../../core/index.ts';
import type { OllamaEmbedRequest, OllamaEmbedResponse } from './ollama-types.ts';

/** OpenAI embeddings request → Ollama `/api/embed` body. Ollama embeds text only: token-id arrays are refused. */
export function toOllamaEmbedRequest(request: EmbeddingRequest, model: string, keepAlive?: string | number): OllamaEmbedRequest {
  const input = request.input;
  let text: string | string[];
  if (typeof input === 'string') text = input;
  else if (Array.isArray(input)) {
    input.forEach((item, k) => {
      if (typeof item !== 'string') {
        throw new InvalidRequestError('This provider (Ollama) embeds text only; send input as a string or an array of strings, not token ids.', `input[${k}]`);
      }
    });
    text = input as string[];
  } else throw new InvalidRequestError('input must be a string or an array of strings.', 'input');
  const body: OllamaEmbedRequest = { model, input: text };
  if (typeof request.dimensions === 'number') body.dimensions = request.dimensions;
  if (keepAlive !== undefined) body.keep_alive = keepAlive;
  return body;
}

/** Ollama `/api/embed` answer → OpenAI list of float embeddings, one per input, in order. */
export function fromOllamaEmbed(body: unknown, inputs: number, model: string, provider: string): EmbeddingResponse {
  const answer = (body && typeof body === 'object' ? body : {}) as OllamaEmbedResponse;
  const vectors = answer.embeddings;
  const valid =
    Array.isArray(vectors) &&
    vectors.length === inputs &&
    vectors.every((v) => Array.isArray(v) && v.every((x) => typeof x === 'number'));
  if (!valid) {
    throw new UpstreamProtocolError(`${provider}: /api/embed did not answer ${inputs} embedding(s): ${JSON.stringify(body)?.slice(0, 120)}`);
  }
  const prompt = typeof answer.prompt_eval_count === 'number' ? answer.prompt_eval_count : 0;
  return {
    object: 'list',
    data: (vectors as number[][]).map((embedding, index) => ({ object: 'embedding', index, embedding })),
    model,
    usage: { prompt_tokens: prompt, total_tokens: prompt },
  };
}
