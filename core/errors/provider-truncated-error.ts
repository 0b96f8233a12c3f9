import { GatewayError } from './gateway-error.ts';

/** The answer was cut short before any text was produced (for example a token limit spent on reasoning). */
export class ProviderTruncatedError extends GatewayError {
  constructor(message: string, cause?: unknown) {
    super(message, { status: 502, code: 'upstream_truncated', reason: 'upstream_truncated', cause });
  }
}
