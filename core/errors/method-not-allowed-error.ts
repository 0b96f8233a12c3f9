import { GatewayError } from './gateway-error.ts';

/** The path exists but not for this method; `Allow` lists the ones it takes. */
export class MethodNotAllowedError extends GatewayError {
  constructor(method: string, path: string, allowed: string[]) {
    super(`${path} does not take ${method}; use ${allowed.join(' or ')}.`, {
      status: 405,
      code: 'invalid_request',
      headers: { Allow: allowed.join(', ') },
    });
  }
}
