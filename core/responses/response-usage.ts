import type { Usage } from '../contracts/openai.ts';
import type { ResponseUsage } from '../contracts/responses.ts';

/**
 * Chat usage in the Responses form. The details are always present (0 when the provider gave none), as
 * OpenAI sends them and clients read them without a guard; a missing usage is all zeros for the same
 * reason (the Vercel AI SDK refuses a finished response without one). `cache_write_tokens` is read where
 * a provider reports it in `prompt_tokens_details` (OpenRouter does).
 */
export function toResponseUsage(usage: Usage | null | undefined): ResponseUsage {
  const input = count(usage?.prompt_tokens);
  const output = count(usage?.completion_tokens);
  return {
    input_tokens: input,
    input_tokens_details: { cached_tokens: count(usage?.prompt_tokens_details?.cached_tokens), cache_write_tokens: count(usage?.prompt_tokens_details?.cache_write_tokens) },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: count(usage?.completion_tokens_details?.reasoning_tokens) },
    total_tokens: typeof usage?.total_tokens === 'number' ? usage.total_tokens : input + output,
  };
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}
