import { GatewayError } from './gateway-error.ts';

/** The caller may not use this model or alias (its `models` list), or it is a cloud model and the caller is `localOnly`. */
export class ModelNotAllowedError extends GatewayError {
  constructor(message: string) {
    super(message, { status: 403, code: 'model_not_allowed', param: 'model' });
  }
}
