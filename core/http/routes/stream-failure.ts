import type { Logger } from '../../log/logger.ts';
import { isGatewayError, type GatewayError } from '../../errors/gateway-error.ts';
import { InternalError } from '../../errors/internal-error.ts';
import type { ServedRequest } from './model-request.ts';

/**
 * What a stream that broke after it began ends with, recorded in the request's outcome: the router's
 * classified error (or the request's deadline or shutdown), anything else being a bug here and logged as
 * one. Undefined when the caller went away: there is no one left to write to.
 */
export function streamFailure(thrown: unknown, served: Pick<ServedRequest, 'scope' | 'outcome'>, log: Logger): GatewayError | undefined {
  const { scope, outcome } = served;
  if (scope.clientClosed) return undefined;
  const error = isGatewayError(thrown) ? thrown : new InternalError(thrown);
  if (error instanceof InternalError) log.error({ requestId: scope.requestId, err: thrown }, 'unexpected error while writing a stream');
  outcome.error = error;
  return error;
}
