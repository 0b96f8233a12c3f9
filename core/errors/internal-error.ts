import { GatewayError } from './gateway-error.ts';

/** A bug: the caller learns only that it happened (and the request id it is logged under), never the internals. */
export class InternalError extends GatewayError {
  constructor(cause: unknown) {
    super('The gateway failed unexpectedly; the error is logged with this request id.', { status: 500, code: 'internal_error', cause });
  }
}
