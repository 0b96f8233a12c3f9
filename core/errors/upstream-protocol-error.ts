import { GatewayError } from './gateway-error.ts';

/** The upstream answered something its protocol does not allow (a malformed 200, a broken stream). Retryable. */
export class UpstreamProtocolError extends GatewayError {
  constructor(message: string, cause?: unknown) {
    super(message, { status: 502, code: 'upstream_error', retryable: true, reason: 'protocol_error', cause });
  }
}
