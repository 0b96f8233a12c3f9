import type { CallerRejectedEvent } from '../contracts/events.ts';
import { GatewayError } from './gateway-error.ts';

/** The limit of the callers file a refused request ran into; the word metrics and logs use. */
export type CallerLimit = CallerRejectedEvent['limit'];

/**
 * The caller is over one of its own limits (not the provider's): refused before anything goes upstream,
 * with the limit named and `Retry-After` the seconds until it would be admitted.
 */
export class CallerLimitError extends GatewayError {
  constructor(
    message: string,
    readonly limit: Exclude<CallerLimit, 'budget' | 'model'>,
    retryAfterSeconds: number,
  ) {
    super(message, { status: 429, code: 'rate_limited', reason: limit, retryAfterSeconds });
  }
}
