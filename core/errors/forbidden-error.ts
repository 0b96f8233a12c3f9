import { GatewayError } from './gateway-error.ts';

/** The caller is known, but what it asks to read is not its own (another caller's usage, without `admin`). */
export class ForbiddenError extends GatewayError {
  constructor(message: string, param: string | null = null) {
    super(message, { status: 403, code: 'unauthorized', param });
  }
}
