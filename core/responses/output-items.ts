import type { ItemStatus, OutputFunctionCall, OutputMessage, OutputReasoning, OutputRefusal, OutputText } from '../contracts/responses.ts';

// The output items and parts in the field order OpenAI sends them, built in one place so that a streamed
// answer and a whole one come out alike.

export function textPart(text: string): OutputText {
  return { type: 'output_text', annotations: [], logprobs: [], text };
}

export function refusalPart(refusal: string): OutputRefusal {
  return { type: 'refusal', refusal };
}

export function messageItem(id: string, content: OutputMessage['content'], status: ItemStatus): OutputMessage {
  return { id, type: 'message', status, content, role: 'assistant' };
}

export function functionCallItem(id: string, callId: string, name: string, args: string, status: ItemStatus): OutputFunctionCall {
  return { id, type: 'function_call', status, arguments: args, call_id: callId, name };
}

/**
 * Reasoning text as a reasoning item's summary. Chat providers return their raw reasoning
 * (`reasoning_content`); OpenAI would put raw reasoning in `content` (`reasoning_text`), but clients show
 * the summary (the Vercel AI SDK reads nothing else, Ollama's and LiteLLM's own Responses endpoints put
 * the thinking there too), so the summary is where it is seen.
 */
export function reasoningItem(id: string, text: string | undefined, status: ItemStatus): OutputReasoning {
  return { id, type: 'reasoning', summary: text === undefined ? [] : [{ type: 'summary_text', text }], status };
}
