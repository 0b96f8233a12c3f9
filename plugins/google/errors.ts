import { ApiError } from '@google/genai';
import {
  ProviderAuthError,
  UpstreamNetworkError,
  UpstreamProtocolError,
  errorFromUpstreamStatus,
  isGatewayError,
  redactSecrets,
} from '../../core/index.ts';

export interface ErrorContext {
  provider: string;
  /** The call's signal: once it is aborted, its reason is the error (a timeout, a caller gone). */
  signal?: AbortSignal;
  /** Never to appear in a message (the API key). */
  secrets: string[];
}

interface GoogleErrorBody {
  code?: number;
  message?: string;
  status?: string;
  details?: Array<{ '@type'?: string; reason?: string; retryDelay?: string }>;
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);

/**
 * Whatever the SDK threw → one of the core's errors. The SDK throws `ApiError` (status + the JSON error
 * body as message) for HTTP errors and for error events inside a stream, `TypeError` from fetch for
 * transport failures, and plain errors for answers it could not parse.
 */
export function toGatewayError(err: unknown, context: ErrorContext): unknown {
  if (context.signal?.aborted) return context.signal.reason;
  if (isGatewayError(err)) return err;
  const { provider } = context;
  const redact = (text: string) => redactSecrets(text, context.secrets);
  if (isApiError(err)) {
    const body = errorBody(err.message);
    const message = redact(body?.message ?? err.message);
    const reasons = (body?.details ?? []).map((d) => d.reason ?? '');
    // Google answers a wrong or expired key with 400 INVALID_ARGUMENT, not 401: still the operator's key.
    if (reasons.some((r) => r.startsWith('API_KEY_')) || /API key (not valid|expired)/i.test(message)) {
      return new ProviderAuthError(`${provider} rejected the gateway's API key for it (HTTP ${err.status}): ${message.replace(/\.$/, '')}. Check the Google API key in the gateway's environment.`, err);
    }
    return errorFromUpstreamStatus(provider, err.status, message, retryDelay(body));
  }
  if (err instanceof Error && (err.name === 'AbortError' || isNetworkFailure(err))) {
    return new UpstreamNetworkError(`${provider}: connection failed (${redact(describe(err))}).`, err);
  }
  const text = err instanceof Error ? err.message : String(err);
  return new UpstreamProtocolError(`${provider}: unreadable answer (${redact(text)}).`, err);
}

function isApiError(err: unknown): err is ApiError {
  // By name too: a second copy of the SDK in node_modules would have its own ApiError class.
  return err instanceof ApiError || (err instanceof Error && err.name === 'ApiError' && typeof (err as { status?: unknown }).status === 'number');
}

/** The `{error: {...}}` body inside an ApiError message (a stream's error event prefixes it with "got status: …"). */
function errorBody(message: string): GoogleErrorBody | undefined {
  const start = message.indexOf('{');
  if (start === -1) return undefined;
  try {
    const parsed = JSON.parse(message.slice(start)) as { error?: GoogleErrorBody };
    return typeof parsed.error === 'object' && parsed.error !== null ? parsed.error : undefined;
  } catch {
    return undefined;
  }
}

/** Google sends the wait of a 429 as `RetryInfo.retryDelay` ("37s") in the body, not as a header. */
function retryDelay(body: GoogleErrorBody | undefined): string | undefined {
  const info = body?.details?.find((d) => d['@type']?.endsWith('google.rpc.RetryInfo'));
  const match = /^(\d+(?:\.\d+)?)s$/.exec(info?.retryDelay ?? '');
  return match ? match[1] : undefined;
}

function isNetworkFailure(err: Error): boolean {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
    if (e instanceof TypeError && /fetch failed|terminated|other side closed|socket/i.test(e.message)) return true;
  }
  return false;
}

function describe(err: Error): string {
  const cause = err.cause instanceof Error ? `: ${err.cause.message}` : '';
  return `${err.message}${cause}`;
}
