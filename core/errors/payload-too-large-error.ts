import { GatewayError } from './gateway-error.ts';

/** The request body is larger than `MAX_BODY_SIZE`. */
export class PayloadTooLargeError extends GatewayError {
  constructor(limit: string) {
    super(`Request body is larger than the limit of ${limit} (MAX_BODY_SIZE). Send smaller images or fewer messages.`, {
      status: 413,
      code: 'payload_too_large',
    });
  }
}
