import { Pool, type Dispatcher } from 'undici';
import { UpstreamNetworkError } from '../errors/upstream-network-error.ts';
import { UpstreamTimeoutError } from '../errors/upstream-timeout-error.ts';
import { redactSecrets } from './redact.ts';
import type { UpstreamResponse } from './body-queue.ts';
import { ConnectionStack } from './connection-stack.ts';
import { UndiciExchange } from './undici-exchange.ts';

export type { UpstreamBody, UpstreamResponse } from './body-queue.ts';

export interface UpstreamClientOptions {
  /** The provider instance name, for messages. */
  provider: string;
  /** Origin plus an optional path prefix, such as `https://api.groq.com/openai/v1`. */
  baseUrl: string;
  /** Headers sent on every request (authorization, version headers). */
  headers?: Record<string, string>;
  /** Values that must never appear in an error message (the provider's keys). */
  secrets?: string[];
  /**
   * Upper bound of pooled keep-alive connections to this upstream; none by default. A bound here would be a
   * queue nobody sees: past it every request, a small one too, waits silently for a long stream to end.
   * A provider that can take only so much has `limits.maxConcurrent`, so requests wait in the gateway's own limiter
   * (its metrics, its `overloaded` fallback), never in the HTTP client.
   */
  connections?: number;
}

export interface SendOptions {
  method?: 'GET' | 'POST' | 'DELETE';
  /** Already serialized JSON. */
  body?: string;
  signal: AbortSignal;
  headers?: Record<string, string>;
}

/**
 * One pooled, keep-alive HTTP client per provider instance. It sends already-serialized bodies, returns
 * the raw response (status, headers, body stream) and turns transport failures into the core's errors:
 * refused or reset connections into `UpstreamNetworkError`, and an aborted signal into its own reason,
 * so that the router's timeouts arrive as the typed error they were created with.
 */
export class UpstreamClient {
  readonly provider: string;
  readonly baseUrl: string;
  private readonly origin: string;
  private readonly basePath: string;
  private readonly connections: Pick<Dispatcher, 'dispatch' | 'close'> | ConnectionStack;
  private readonly headers: Record<string, string>;
  private readonly secrets: string[];

  constructor(options: UpstreamClientOptions) {
    const url = new URL(options.baseUrl);
    this.provider = options.provider;
    this.baseUrl = options.baseUrl;
    this.origin = url.origin;
    this.basePath = url.pathname.replace(/\/+$/, '');
    this.headers = { 'content-type': 'application/json', accept: 'application/json', ...options.headers };
    this.secrets = (options.secrets ?? []).filter((s) => s.length > 0);
    const clientOptions = {
      keepAliveTimeout: 30_000,
      // The router bounds every call with its own timers; these are only a backstop against leaks.
      headersTimeout: 15 * 60_000,
      bodyTimeout: 15 * 60_000,
    };
    // Unbounded by default (see `connections`), on a stack of connections; a bound, where one is asked
    // for, is undici's Pool and its queue.
    this.connections =
      options.connections === undefined ? new ConnectionStack(this.origin, clientOptions) : new Pool(this.origin, { ...clientOptions, connections: options.connections });
  }

  /**
   * Sends one request; settles with the status and headers, the body still to be read. Dispatched with a
   * handler of our own (`UndiciExchange`, its body a `BodyQueue`) rather than undici's `request()`: see
   * `BodyQueue` for why.
   */
  async send(path: string, options: SendOptions): Promise<UpstreamResponse> {
    const { signal } = options;
    const exchange = new UndiciExchange(signal);
    this.connections.dispatch(
      {
        origin: this.origin,
        path: this.basePath + path,
        method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
        headers: options.headers ? { ...this.headers, ...options.headers } : this.headers,
        body: options.body,
      },
      exchange,
    );
    try {
      return await exchange.response;
    } catch (err) {
      throw this.transportError(err, signal);
    }
  }

  /**
   * Maps an error thrown while connecting (`phase: 'connect'`) or while reading an answer that had begun
   * (`'read'`: the connection dropped mid-answer, which a caller should not read as "cannot reach").
   */
  transportError(err: unknown, signal: AbortSignal, phase: 'connect' | 'read' = 'connect'): unknown {
    if (signal.aborted) return signal.reason ?? err;
    const code = errorCode(err);
    if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') {
      return new UpstreamTimeoutError(`${this.provider}: upstream timed out (${code})`, 'attempt', err);
    }
    const detail = redactSecrets(err instanceof Error ? err.message : String(err), this.secrets);
    const what = phase === 'read' ? `the connection to ${this.origin} dropped while reading the answer` : `cannot reach ${this.origin}`;
    return new UpstreamNetworkError(`${this.provider}: ${what} (${code ?? detail})`, err);
  }

  redact(text: string): string {
    return redactSecrets(text, this.secrets);
  }

  async close(): Promise<void> {
    await this.connections.close();
  }
}

function errorCode(err: unknown): string | undefined {
  let current: unknown = err;
  for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') {
      // undici wraps the socket error; the innermost errno word (ECONNREFUSED) says the most.
      const inner = (current as { cause?: unknown }).cause;
      const innerCode = inner && typeof inner === 'object' ? (inner as { code?: unknown }).code : undefined;
      return typeof innerCode === 'string' ? innerCode : code;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
