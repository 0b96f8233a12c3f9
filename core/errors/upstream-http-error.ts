import { GatewayError } from './gateway-error.ts';

/**
 * The upstream answered with an HTTP error status that has no more specific class. A 5xx is retryable and
 * surfaces as 502; a 4xx is the caller's fault and comes back with the provider's own status and message.
 */
export class UpstreamHttpError extends GatewayError {
  readonly upstreamStatus: number;

  constructor(message: string, upstreamStatus: number, cause?: unknown) {
    const serverSide = upstreamStatus >= 500;
    super(message, {
      status: serverSide ? 502 : upstreamStatus,
      code: serverSide ? 'upstream_error' : 'invalid_request',
      retryable: serverSide,
      reason: serverSide ? 'upstream_5xx' : `upstream_${upstreamStatus}`,
      cause,
    });
    this.upstreamStatus = upstreamStatus;
  }
}
