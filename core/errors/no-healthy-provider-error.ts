import type { AttemptRecord } from '../contracts/events.ts';
import { GatewayError } from './gateway-error.ts';

/** Every entry of the chain failed or was skipped; `attempts` says what happened to each. */
export class NoHealthyProviderError extends GatewayError {
  constructor(attempts: AttemptRecord[]) {
    const summary = attempts.map((a) => `${a.model}: ${a.reason}`).join('; ');
    super(`No provider of the chain could answer (${summary}). See error.attempts; GET /v1/health shows provider state.`, {
      status: 503,
      code: 'no_healthy_provider',
      details: { attempts },
    });
  }
}
