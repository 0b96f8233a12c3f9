import { GatewayError } from './gateway-error.ts';

/** The caller presented no gateway API key, or a wrong one. */
export class UnauthorizedError extends GatewayError {
  constructor(message = 'Missing or invalid API key: send it as "Authorization: Bearer <key>" or "X-API-Key: <key>".') {
    super(message, { status: 401, code: 'unauthorized' });
  }
}
