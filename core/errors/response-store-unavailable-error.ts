import { GatewayError } from './gateway-error.ts';

/**
 * The store of Responses-API answers did not answer (Redis down or slow), so a stored response cannot be
 * read, deleted or continued now. Kept apart from "absent": a 404 would tell the caller its response is
 * gone when it is not. The CONTRACT has no word for a store outage; 503 says "retry", and the message
 * says what is down.
 */
export class ResponseStoreUnavailableError extends GatewayError {
  constructor(cause: unknown) {
    super(`The store of responses did not answer (${(cause as Error)?.message ?? String(cause)}); the stored response cannot be read now. Retry shortly.`, {
      status: 503,
      code: 'no_healthy_provider',
      reason: 'store_unavailable',
      cause,
    });
  }
}
