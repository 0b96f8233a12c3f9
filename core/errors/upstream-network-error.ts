import { GatewayError } from './gateway-error.ts';

/** The connection to the upstream was refused, reset or dropped. Retryable. */
export class UpstreamNetworkError extends GatewayError {
  constructor(message: string, cause?: unknown) {
    super(message, { status: 502, code: 'upstream_error', retryable: true, reason: 'connection_error', cause });
  }
}
