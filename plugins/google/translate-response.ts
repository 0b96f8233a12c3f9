import type { GenerateContentResponse } from '@google/genai';
import {
  UpstreamProtocolError,
  completionId,
  unixSeconds,
  type ChatCompletion,
  type ChatCompletionChoice,
} from '../../core/index.ts';
import { checkPromptFeedback, toFinishReason } from './finish-reasons.ts';
import { readParts } from './read-parts.ts';
import { toUsage } from './translate-usage.ts';

/** A whole Gemini answer → an OpenAI chat completion; blocks, cuts and broken answers throw. */
export function toChatCompletion(response: GenerateContentResponse, provider: string, model: string): ChatCompletion {
  checkPromptFeedback(provider, response.promptFeedback);
  const candidates = response.candidates ?? [];
  if (candidates.length === 0) throw new UpstreamProtocolError(`${provider}: the answer has no candidates and no block reason.`);
  const choices = candidates.map((candidate, i): ChatCompletionChoice => {
    const out = readParts(candidate.content?.parts);
    const hasCalls = out.toolCalls.length > 0;
    const finish = toFinishReason(provider, candidate.finishReason, { text: out.text !== '', toolCalls: hasCalls, reasoning: out.reasoning !== '' });
    const message: ChatCompletionChoice['message'] = { role: 'assistant', content: hasCalls && out.text === '' ? null : out.text };
    if (out.reasoning !== '') message.reasoning_content = out.reasoning;
    if (hasCalls) message.tool_calls = out.toolCalls;
    return { index: candidate.index ?? i, message, finish_reason: finish };
  });
  const completion: ChatCompletion = { id: completionId(), object: 'chat.completion', created: unixSeconds(), model, choices };
  const usage = toUsage(response.usageMetadata);
  if (usage) completion.usage = usage;
  return completion;
}
