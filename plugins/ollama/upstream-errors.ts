import {
  ProviderCapabilityError,
  errorFromUpstreamStatus,
  type GatewayError,
  type ReplyOptions,
} from '../../core/index.ts';

/**
 * Ollama answers 400 "… does not support tools" (or chat, embeddings, thinking, images) when a model lacks
 * what the request asks; that is a capability miss, not a malformed request.
 */
const CAPABILITY_MISS = /does not support (tools|chat|generate|completion|embeddings?|thinking|insert|images|vision)/i;

/** An HTTP error answer of Ollama (its `{"error": "..."}` message already read) → the core's error. */
export function ollamaStatusError(
  provider: string,
  status: number,
  message: string,
  retryAfter?: string | string[] | null,
): GatewayError {
  if (status === 400 && CAPABILITY_MISS.test(message)) return new ProviderCapabilityError(`${provider}: ${message}`);
  return errorFromUpstreamStatus(provider, status, message, retryAfter);
}

/** How Ollama's answers are read: the CONTRACT's status mapping after the capability-miss rule. */
export const ollamaReply: ReplyOptions = { statusError: ollamaStatusError };
