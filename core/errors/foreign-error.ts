import { GatewayError, type ErrorCode } from './gateway-error.ts';

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
 * (boolean), optionally `reason` and `retryAfterSeconds` — and the router treats it like one of ours.
 */
export function adoptForeignError(err: unknown): GatewayError | undefined {
  if (!(err instanceof Error)) return undefined;
  const { status, code, retryable, reason, param } = err as Error & Record<string, unknown>;
  if (typeof status !== 'number' || status < 400 || status > 599) return undefined;
  if (typeof code !== 'string' || !CODES.has(code as ErrorCode) || typeof retryable !== 'boolean') return undefined;
  const retryAfter = (err as { retryAfterSeconds?: unknown }).retryAfterSeconds;
  return new GatewayError(err.message, {
    status,
    code: code as ErrorCode,
    retryable,
    reason: typeof reason === 'string' && /^[a-z0-9_-]{1,40}$/.test(reason) ? reason : undefined,
    param: typeof param === 'string' ? param : null,
    cause: err,
    headers: typeof retryAfter === 'number' ? { 'Retry-After': String(Math.ceil(retryAfter)) } : undefined,
  });
}
