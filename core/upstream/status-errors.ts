import type { GatewayError } from '../errors/gateway-error.ts';
import { ModelNotFoundError } from '../errors/model-not-found-error.ts';
import { ProviderAuthError } from '../errors/provider-auth-error.ts';
import { ProviderRateLimitError } from '../errors/provider-rate-limit-error.ts';
import { UpstreamHttpError } from '../errors/upstream-http-error.ts';
import { UpstreamTimeoutError } from '../errors/upstream-timeout-error.ts';
import { parseRetryAfter } from './retry-after.ts';

/**
 * The CONTRACT's mapping of an upstream HTTP error status to the gateway's error: 401/403 → provider auth
 * (502), 404 → model not found, 408 → timeout (retryable), 429 → rate limited (retryable, with
 * Retry-After), 5xx → upstream error (retryable), any other 4xx → the provider's own status and message.
 */
export function errorFromUpstreamStatus(
  provider: string,
  status: number,
  message: string,
  retryAfterHeader?: string | string[] | null,
): GatewayError {
  const detail = `${provider}: ${message || `HTTP ${status}`}`;
  if (status === 401 || status === 403) {
    return new ProviderAuthError(`${provider} rejected the gateway's API key for it (HTTP ${status}): ${message}. Check the provider key in the gateway's environment.`);
  }
  if (status === 404) return new ModelNotFoundError(detail);
  if (status === 408) return new UpstreamTimeoutError(detail, 'attempt');
  if (status === 429) {
    const header = Array.isArray(retryAfterHeader) ? retryAfterHeader[0] : retryAfterHeader;
    return new ProviderRateLimitError(`${provider} is rate-limiting: ${message || 'HTTP 429'}`, parseRetryAfter(header ?? undefined));
  }
  return new UpstreamHttpError(detail, status);
}

/**
 * Pulls a human message out of an upstream error body: OpenAI `{error: {message}}`, Ollama `{error: "..."}`,
 * Google `{error: {message, status}}`, or the raw text (shortened).
 */
export function upstreamErrorMessage(bodyText: string): string {
  const text = bodyText.trim();
  if (text.startsWith('{')) {
    try {
      const parsed = JSON.parse(text) as { error?: unknown; message?: unknown; detail?: unknown };
      const error = parsed.error;
      if (typeof error === 'string') return error;
      if (error && typeof error === 'object' && typeof (error as { message?: unknown }).message === 'string') {
        return (error as { message: string }).message;
      }
      if (typeof parsed.message === 'string') return parsed.message;
      if (typeof parsed.detail === 'string') return parsed.detail;
    } catch {
      // not JSON after all: fall through to the text
    }
  }
  return text.length > 500 ? `${text.slice(0, 500)}…` : text;
}
