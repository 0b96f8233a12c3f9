import { GatewayError, isGatewayError, type ErrorCode } from './gateway-error.ts';
import { ModelNotFoundError } from './model-not-found-error.ts';
import { ProviderAuthError } from './provider-auth-error.ts';
import { ProviderBlockedError } from './provider-blocked-error.ts';
import { ProviderCapabilityError } from './provider-capability-error.ts';
import { ProviderRateLimitError } from './provider-rate-limit-error.ts';
import { ProviderTruncatedError } from './provider-truncated-error.ts';
import { UpstreamTimeoutError } from './upstream-timeout-error.ts';

interface ForeignFields {
  message: string;
  status: number;
  code: ErrorCode;
  retryable: boolean;
  reason: string | undefined;
  param: string | null;
  retryAfterSeconds: number | undefined;
  cause: Error;
}

/**
 * The core's own kind for each code a plugin may throw: a rate limit keeps its wait, a blocked answer
 * stays blocked, and so on, exactly as if the plugin had imported the class. Codes that name no single
 * kind (`upstream_error`, `invalid_request`) keep the fields the plugin gave.
 */
const KINDS: Partial<Record<ErrorCode, (f: ForeignFields) => GatewayError>> = {
  rate_limited: (f) => new ProviderRateLimitError(f.message, f.retryAfterSeconds, { cause: f.cause }),
  provider_auth_error: (f) => new ProviderAuthError(f.message, f.cause),
  content_blocked: (f) => new ProviderBlockedError(f.message, f.cause),
  upstream_truncated: (f) => new ProviderTruncatedError(f.message, f.cause),
  capability_unsupported: (f) => new ProviderCapabilityError(f.message, f.param),
  model_not_found: (f) => new ModelNotFoundError(f.message, { param: f.param, cause: f.cause }),
  timeout: (f) => new UpstreamTimeoutError(f.message, 'attempt', f.cause),
};

const CODES = new Set<ErrorCode>([
  'invalid_request',
  'capability_unsupported',
  'unauthorized',
  'model_not_found',
  'payload_too_large',
  'content_blocked',
  'rate_limited',
  'upstream_error',
  'provider_auth_error',
  'upstream_truncated',
  'no_healthy_provider',
  'timeout',
]);

/**
 * A plugin installed from npm cannot import this core's error classes, so it may throw any Error that
 * carries the same fields — `status` (number), `code` (one of the CONTRACT's words), `retryable`
 * (boolean), optionally `reason`, `param` and `retryAfterSeconds` — and the router treats it like one of
 * ours: it is rebuilt as the core's error of that code. An error of the gateway itself passes unchanged.
 */
export function adoptForeignError(err: unknown): GatewayError | undefined {
  if (isGatewayError(err)) return err;
  if (!(err instanceof Error)) return undefined;
  const { status, code, retryable, reason, param, retryAfterSeconds } = err as Error & Record<string, unknown>;
  if (typeof status !== 'number' || status < 400 || status > 599) return undefined;
  if (typeof code !== 'string' || !CODES.has(code as ErrorCode) || typeof retryable !== 'boolean') return undefined;
  const fields: ForeignFields = {
    message: err.message,
    status,
    code: code as ErrorCode,
    retryable,
    reason: typeof reason === 'string' && /^[a-z0-9_-]{1,40}$/.test(reason) ? reason : undefined,
    param: typeof param === 'string' ? param : null,
    retryAfterSeconds: typeof retryAfterSeconds === 'number' && Number.isFinite(retryAfterSeconds) && retryAfterSeconds >= 0 ? retryAfterSeconds : undefined,
    cause: err,
  };
  const kind = KINDS[fields.code];
  if (kind) return kind(fields);
  return new GatewayError(fields.message, {
    status,
    code: fields.code,
    retryable,
    reason: fields.reason,
    param: fields.param,
    cause: err,
    retryAfterSeconds: fields.retryAfterSeconds,
  });
}
