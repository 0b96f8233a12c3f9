import { GatewayError } from './gateway-error.ts';

/** The gateway is stopping and its shutdown deadline passed before this answer was complete. */
export class ShuttingDownError extends GatewayError {
  constructor(seconds: number) {
    super(`The gateway is shutting down: the answer was not complete within the ${seconds}s shutdown deadline. Retry the request.`, {
      status: 503,
      code: 'no_healthy_provider',
      reason: 'shutdown',
    });
  }
}
