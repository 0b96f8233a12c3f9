import { GatewayError } from './gateway-error.ts';

/** The provider refused the prompt or withheld the answer; the reason travels in the message. */
export class ProviderBlockedError extends GatewayError {
  constructor(message: string, cause?: unknown) {
    super(message, { status: 422, code: 'content_blocked', reason: 'content_blocked', cause });
  }
}
