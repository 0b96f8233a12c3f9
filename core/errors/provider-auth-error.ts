import { GatewayError } from './gateway-error.ts';

/** The provider rejected the gateway's own key for it: an operator must fix the configuration. */
export class ProviderAuthError extends GatewayError {
  constructor(message: string, cause?: unknown) {
    super(message, { status: 502, code: 'provider_auth_error', reason: 'provider_auth_error', cause });
  }
}
