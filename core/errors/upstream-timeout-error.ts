import { GatewayError } from './gateway-error.ts';

export type TimeoutKind = 'first_token' | 'stall' | 'attempt' | 'probe';

/** A provider took too long: to its first token, between two tokens, or for the whole attempt. Retryable. */
export class UpstreamTimeoutError extends GatewayError {
  readonly kind: TimeoutKind;

  constructor(message: string, kind: TimeoutKind, cause?: unknown) {
    super(message, { status: 504, code: 'timeout', retryable: true, reason: 'timeout', cause });
    this.kind = kind;
  }
}
