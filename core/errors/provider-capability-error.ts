import { GatewayError } from './gateway-error.ts';

/** The model lacks something the request needs (tools, vision, JSON schema, embeddings). */
export class ProviderCapabilityError extends GatewayError {
  constructor(message: string, param: string | null = null) {
    super(message, { status: 400, code: 'capability_unsupported', param, reason: 'capability' });
  }
}
