import type { Part } from '@google/genai';
import { toolCallId } from '../../core/index.ts';
import type { GeminiToolCall } from './translate-messages.ts';

/** What one batch of Gemini parts says, sorted into the OpenAI message's fields. */
export interface PartsOutput {
  text: string;
  reasoning: string;
  toolCalls: GeminiToolCall[];
}

/** Text parts → content, `thought` parts → reasoning, `functionCall` parts → tool calls; other parts are skipped. */
export function readParts(parts: Part[] | undefined): PartsOutput {
  const out: PartsOutput = { text: '', reasoning: '', toolCalls: [] };
  for (const part of parts ?? []) {
    if (part.functionCall) out.toolCalls.push(toToolCall(part));
    else if (typeof part.text === 'string') {
      if (part.thought) out.reasoning += part.text;
      else out.text += part.text;
    }
  }
  return out;
}

/**
 * A `functionCall` part → an OpenAI tool call. Gemini has no call ids, so one is made up; the thought
 * signature rides along in `extra_content` so that the caller's next turn can hand it back.
 */
function toToolCall(part: Part): GeminiToolCall {
  const call: GeminiToolCall = {
    id: toolCallId(),
    type: 'function',
    function: { name: part.functionCall?.name ?? '', arguments: JSON.stringify(part.functionCall?.args ?? {}) },
  };
  if (part.thoughtSignature) call.extra_content = { google: { thought_signature: part.thoughtSignature } };
  return call;
}
