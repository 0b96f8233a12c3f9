import { UpstreamProtocolError } from '../errors/upstream-protocol-error.ts';
import type { UpstreamClient, UpstreamResponse } from './http-client.ts';
import { errorFromUpstreamStatus, upstreamErrorMessage } from './status-errors.ts';

/**
 * How a provider maps an upstream error status (with the upstream's own message, already free of
 * secrets) to the core's error. `errorFromUpstreamStatus` is the CONTRACT's mapping; a provider with a
 * rule of its own (a 400 that means a missing capability) checks that first and hands the rest on.
 */
export type StatusErrorMapping = typeof errorFromUpstreamStatus;

export interface ReplyOptions {
  /** Defaults to `errorFromUpstreamStatus`. */
  statusError?: StatusErrorMapping;
}

export function isSuccess(response: UpstreamResponse): boolean {
  return response.statusCode >= 200 && response.statusCode < 300;
}

/** Reads a whole body; a connection dropped halfway is a transport failure like any other. */
export async function readText(client: UpstreamClient, response: UpstreamResponse, signal: AbortSignal): Promise<string> {
  try {
    return await response.body.text();
  } catch (err) {
    throw client.transportError(err, signal, 'read');
  }
}

/**
 * The parsed JSON of a 2xx answer; an error status throws the mapped error. A 2xx whose body is not JSON
 * is a protocol error (retryable: another provider may answer properly).
 */
export async function readJson(client: UpstreamClient, response: UpstreamResponse, signal: AbortSignal, options?: ReplyOptions): Promise<unknown> {
  if (!isSuccess(response)) throw await errorFromResponse(client, response, signal, options);
  const text = await readText(client, response, signal);
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new UpstreamProtocolError(
      `${client.provider}: the upstream answered ${response.statusCode} with a body that is not JSON: ${client.redact(text.slice(0, 120))}`,
      err,
    );
  }
}

/**
 * The error to throw for a non-2xx answer: its status mapped, with the message from its body. A body that
 * cannot be read does not hide the status, which already says what happened; once the call's signal is
 * aborted, its reason (a timeout, a caller gone) is the error instead.
 */
export async function errorFromResponse(client: UpstreamClient, response: UpstreamResponse, signal: AbortSignal, options?: ReplyOptions): Promise<unknown> {
  let text = '';
  try {
    text = await response.body.text();
  } catch {
    // the status alone is mapped
  }
  if (signal.aborted) return signal.reason;
  const message = client.redact(upstreamErrorMessage(text));
  const statusError = options?.statusError ?? errorFromUpstreamStatus;
  return statusError(client.provider, response.statusCode, message, response.headers['retry-after']);
}

/** Reads and drops a body that is not needed, so the pooled connection can be reused. */
export async function discard(response: UpstreamResponse): Promise<void> {
  try {
    await response.body.dump();
  } catch {
    // the connection is dropped instead of reused; nothing the caller must know
  }
}
