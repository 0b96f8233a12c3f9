import type { GenerateContentResponseUsageMetadata } from '@google/genai';
import type { Usage } from '../../core/index.ts';

/**
 * Gemini `usageMetadata` → OpenAI usage. Thought tokens are billed as output, so they count as
 * completion tokens and are also shown as `reasoning_tokens`; tokens of tool results count as prompt.
 */
export function toUsage(meta: GenerateContentResponseUsageMetadata | undefined): Usage | undefined {
  if (!meta) return undefined;
  const prompt = (meta.promptTokenCount ?? 0) + (meta.toolUsePromptTokenCount ?? 0);
  const thoughts = meta.thoughtsTokenCount ?? 0;
  const completion = (meta.candidatesTokenCount ?? 0) + thoughts;
  const usage: Usage = { prompt_tokens: prompt, completion_tokens: completion, total_tokens: meta.totalTokenCount ?? prompt + completion };
  if (thoughts > 0) usage.completion_tokens_details = { reasoning_tokens: thoughts };
  if (meta.cachedContentTokenCount) usage.prompt_tokens_details = { cached_tokens: meta.cachedContentTokenCount };
  return usage;
}
