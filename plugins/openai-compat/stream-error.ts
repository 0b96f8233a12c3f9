import { errorFromUpstreamStatus, UpstreamHttpError, type GatewayError } from '../../core/index.ts';

/**
 * Maps the `error` member of a mid-stream event (or of a 200 answer that carries one). OpenAI sends `{"error": {"message", "type"}}` and
 * OpenRouter `{"error": {"code": 502, "message"}}` (HTTP status as `code`); an HTTP-like code is mapped as
 * that status would be, anything else is a provider failure (502).
 */
export function errorFromStreamEvent(provider: string, error: unknown, redact: (text: string) => string = (t) => t): GatewayError {
  const fields = typeof error === 'object' && error !== null ? (error as { message?: unknown; code?: unknown }) : { message: error };
  const text = typeof fields.message === 'string' && fields.message !== '' ? fields.message : 'the upstream reported an error mid-stream';
  const message = redact(text);
  const status = httpStatus(fields.code);
  if (status !== undefined) return errorFromUpstreamStatus(provider, status, message);
  return new UpstreamHttpError(`${provider}: ${message}`, 502);
}

function httpStatus(code: unknown): number | undefined {
  const n = typeof code === 'number' ? code : typeof code === 'string' && /^\d{3}$/.test(code) ? Number(code) : NaN;
  return Number.isInteger(n) && n >= 400 && n <= 599 ? n : undefined;
}
