import { GatewayError } from './gateway-error.ts';

/** The request's overall deadline (`REQUEST_TIMEOUT`) passed before any entry of the chain answered. */
export class GatewayTimeoutError extends GatewayError {
  constructor(seconds: number, details?: Record<string, unknown>) {
    super(`The request did not complete within ${seconds}s (REQUEST_TIMEOUT).`, { status: 504, code: 'timeout', details });
  }
}
