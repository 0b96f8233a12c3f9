import {
  ProviderBlockedError,
  ProviderTruncatedError,
  UpstreamProtocolError,
  type FinishReason,
} from '../../core/index.ts';

/** What a candidate has produced so far: a finish reason means different things with and without it. */
export interface CandidateOutput {
  text: boolean;
  toolCalls: boolean;
  reasoning?: boolean;
}

// Gemini withheld (part of) the answer: never an empty or silently shortened success.
const BLOCKING = new Set([
  'SAFETY', 'RECITATION', 'LANGUAGE', 'BLOCKLIST', 'PROHIBITED_CONTENT', 'SPII',
  'IMAGE_SAFETY', 'IMAGE_PROHIBITED_CONTENT', 'IMAGE_RECITATION',
]);
// The model tried to call a function and failed: answering "stop" would drop the call unnoticed.
const BROKEN_CALL = new Set(['MALFORMED_FUNCTION_CALL', 'UNEXPECTED_TOOL_CALL', 'TOO_MANY_TOOL_CALLS']);
const TOKEN_LIMIT = new Set(['MAX_TOKENS', 'CONTINUATION']);

/**
 * A Gemini `finishReason` → the OpenAI `finish_reason`, or the error it stands for: blocks as
 * ProviderBlockedError (422), a token limit hit before any text as ProviderTruncatedError, a broken
 * function call or a finish without an answer as UpstreamProtocolError (retryable: another model may do).
 */
export function toFinishReason(provider: string, native: string | undefined, output: CandidateOutput): FinishReason {
  const answered = output.text || output.toolCalls;
  if (native === 'STOP') return output.toolCalls ? 'tool_calls' : 'stop';
  if (native !== undefined && BLOCKING.has(native)) {
    throw new ProviderBlockedError(`${provider} blocked the answer (finishReason ${native}). Rephrase the request or use another model.`);
  }
  if (native !== undefined && TOKEN_LIMIT.has(native)) {
    if (answered) return 'length';
    const spent = output.reasoning ? ' (it was spent on reasoning)' : '';
    throw new ProviderTruncatedError(
      `${provider} reached the output token limit (finishReason ${native}) before producing any text${spent}. Raise max_tokens.`,
    );
  }
  if (native !== undefined && BROKEN_CALL.has(native)) {
    throw new UpstreamProtocolError(`${provider}: the model produced an invalid function call (finishReason ${native}).`);
  }
  if (native === undefined) throw new UpstreamProtocolError(`${provider}: a candidate ended without a finishReason (the answer was cut).`);
  // OTHER, FINISH_REASON_UNSPECIFIED and reasons added later: fine when there is an answer, an error when not.
  if (answered) return output.toolCalls ? 'tool_calls' : 'stop';
  throw new UpstreamProtocolError(`${provider}: the model stopped (finishReason ${native}) without an answer.`);
}

/** A prompt Gemini refused outright: `promptFeedback.blockReason`, with no candidates at all. */
export function checkPromptFeedback(provider: string, feedback: { blockReason?: string } | undefined): void {
  const reason = feedback?.blockReason;
  if (reason && reason !== 'BLOCKED_REASON_UNSPECIFIED') {
    throw new ProviderBlockedError(`${provider} blocked the prompt (blockReason ${reason}). Rephrase the request or use another model.`);
  }
}
