import { GatewayError } from './gateway-error.ts';

/** The provider answered 429. Retryable: the next chain entry may have quota left. */
export class ProviderRateLimitError extends GatewayError {
  /** Seconds the provider asked us to wait, when it said. */
  readonly retryAfterSeconds: number | undefined;

  constructor(message: string, retryAfterSeconds?: number, options: { cause?: unknown; details?: Record<string, unknown> } = {}) {
    super(message, {
      status: 429,
      code: 'rate_limited',
      retryable: true,
      reason: 'rate_limited',
      cause: options.cause,
      details: options.details,
      headers: retryAfterSeconds === undefined ? undefined : { 'Retry-After': String(Math.ceil(retryAfterSeconds)) },
    });
    this.retryAfterSeconds = retryAfterSeconds;
  }
}
