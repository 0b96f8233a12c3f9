import { GatewayError } from './gateway-error.ts';

/** The request is malformed or asks for something invalid; `param` names the field to fix. */
export class InvalidRequestError extends GatewayError {
  constructor(message: string, param: string | null = null, status = 400) {
    super(message, { status, code: 'invalid_request', param });
  }
}
