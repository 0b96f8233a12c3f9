import { GatewayError } from './gateway-error.ts';

/**
 * The shared usage ledger did not answer (Redis down or slow), so `GET /v1/usage` cannot be answered
 * now. An empty report would say "nothing was spent"; 503 says "retry", as for the response store.
 */
export class UsageLedgerUnavailableError extends GatewayError {
  constructor(cause: unknown) {
    super(`The usage ledger did not answer (${(cause as Error)?.message ?? String(cause)}); usage cannot be read now. Retry shortly.`, {
      status: 503,
      code: 'no_healthy_provider',
      reason: 'ledger_unavailable',
      cause,
    });
  }
}
