import { GatewayError } from './gateway-error.ts';

/** The caller's cost today (UTC) has reached its `budget.usdPerDay`; `Retry-After` runs to the next UTC day. */
export class BudgetExceededError extends GatewayError {
  constructor(message: string, retryAfterSeconds: number) {
    super(message, { status: 429, code: 'budget_exceeded', reason: 'budget', retryAfterSeconds });
  }
}
