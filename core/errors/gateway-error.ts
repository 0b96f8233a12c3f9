/** The CONTRACT's error codes: the `error.code` word every failure reaches the caller with. */
export type ErrorCode =
  | 'invalid_request'
  | 'capability_unsupported'
  | 'unauthorized'
  | 'model_not_allowed'
  | 'budget_exceeded'
  | 'model_not_found'
  | 'payload_too_large'
  | 'content_blocked'
  | 'rate_limited'
  | 'upstream_error'
  | 'provider_auth_error'
  | 'upstream_truncated'
  | 'no_healthy_provider'
  | 'timeout'
  | 'internal_error';

export interface GatewayErrorOptions {
  status: number;
  code: ErrorCode;
  /** The offending request field as a path, such as `messages[0].content`. */
  param?: string | null;
  /** Whether the router may try the next chain entry (and counts the failure against the provider). */
  retryable?: boolean;
  /** The short word for `attempts[].reason` and metrics; defaults to the code. */
  reason?: string;
  cause?: unknown;
  /** Extra members of the error envelope, such as `attempts`. */
  details?: Record<string, unknown>;
  /** Response headers that belong to this error, such as `Retry-After`. */
  headers?: Record<string, string>;
  /**
   * Seconds the provider asked to be left alone (a 429's `Retry-After`): the router keeps the provider out
   * that long, and the caller gets it as `Retry-After`.
   */
  retryAfterSeconds?: number;
}

/** Marks the gateway's errors, so that the guard holds across module copies (a compiled tree, a bundled plugin). */
const BRAND = Symbol.for('mana-llm.gateway-error');

/**
 * The root of every error the gateway renders. The router reads `retryable`, `code` and
 * `retryAfterSeconds`, never the class; the error middleware
 * turns any of these into the OpenAI envelope `{error: {message, type, code, param}}`.
 */
export class GatewayError extends Error {
  readonly status: number;
  readonly code: ErrorCode;
  readonly param: string | null;
  readonly retryable: boolean;
  readonly reason: string;
  readonly details: Record<string, unknown> | undefined;
  readonly headers: Record<string, string> | undefined;
  readonly retryAfterSeconds: number | undefined;
  readonly [BRAND] = true;

  constructor(message: string, options: GatewayErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.status = options.status;
    this.code = options.code;
    this.param = options.param ?? null;
    this.retryable = options.retryable ?? false;
    this.reason = options.reason ?? options.code;
    this.details = options.details;
    const wait = options.retryAfterSeconds;
    this.retryAfterSeconds = wait !== undefined && Number.isFinite(wait) && wait >= 0 ? wait : undefined;
    this.headers = this.retryAfterSeconds === undefined ? options.headers : { ...options.headers, 'Retry-After': String(Math.ceil(this.retryAfterSeconds)) };
  }

  /** The OpenAI `error.type` that matches the status, so OpenAI clients classify it as they expect. */
  get type(): string {
    if (this.status === 401) return 'authentication_error';
    if (this.status === 403) return 'permission_error';
    if (this.status === 429) return 'rate_limit_error';
    if (this.status >= 500) return 'server_error';
    return 'invalid_request_error';
  }

  toEnvelope(): { error: Record<string, unknown> } {
    return {
      error: { message: this.message, type: this.type, code: this.code, param: this.param, ...this.details },
    };
  }
}

export function isGatewayError(err: unknown): err is GatewayError {
  return err instanceof GatewayError || (err instanceof Error && (err as { [BRAND]?: unknown })[BRAND] === true);
}
