import { GatewayError } from './gateway-error.ts';

/** An unknown alias, or a model the provider does not know. */
export class ModelNotFoundError extends GatewayError {
  constructor(message: string, options: { param?: string | null; cause?: unknown } = {}) {
    super(message, { status: 404, code: 'model_not_found', param: options.param === undefined ? 'model' : options.param, reason: 'model_not_found', cause: options.cause });
  }
}
