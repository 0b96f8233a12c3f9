import { GatewayError } from './gateway-error.ts';

/** The provider answered 429. Retryable: the next chain entry may have quota left. */
export class ProviderRateLimitError extends GatewayError {
  constructor(message: string, retryAfterSeconds?: number, options: { cause?: unknown; details?: Record<string, unknown> } = {}) {
    super(message, {
      status: 429,
      code: 'rate_limited',
      retryable: true,
      reason: 'rate_limited',
      cause: options.cause,
      details: options.details,
      retryAfterSeconds,
    });
  }
}
