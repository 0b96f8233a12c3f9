import {
  ProviderCapabilityError,
  errorFromUpstreamStatus,
  upstreamErrorMessage,
  type GatewayError,
} from '../../core/index.ts';

/**
 * Ollama answers 400 "… does not support tools" (or chat, embeddings, thinking, images) when a model lacks
 * what the request asks; that is a capability miss, not a malformed request.
 */
const CAPABILITY_MISS = /does not support (tools|chat|generate|completion|embeddings?|thinking|insert|images|vision)/i;

/** An HTTP error answer of Ollama → the core's error (the CONTRACT's status mapping). */
export function ollamaStatusError(
  provider: string,
  status: number,
  bodyText: string,
  retryAfter?: string | string[] | null,
): GatewayError {
  const message = upstreamErrorMessage(bodyText);
  if (status === 400 && CAPABILITY_MISS.test(message)) return new ProviderCapabilityError(`${provider}: ${message}`);
  return errorFromUpstreamStatus(provider, status, message, retryAfter);
}
