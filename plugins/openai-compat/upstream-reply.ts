import {
  errorFromUpstreamStatus,
  upstreamErrorMessage,
  UpstreamProtocolError,
  type GatewayError,
  type UpstreamClient,
  type UpstreamResponse,
} from '../../core/index.ts';

export function isSuccess(response: UpstreamResponse): boolean {
  return response.statusCode >= 200 && response.statusCode < 300;
}

/** Removes the key and its masked echoes from upstream text before it can reach a caller or a log. */
export function cleanText(client: UpstreamClient, text: string): string {
  return client.redact(text);
}

/** Reads an error response's body and maps its status (with the upstream's own message) to the core's error. */
export async function errorFromResponse(client: UpstreamClient, response: UpstreamResponse, signal: AbortSignal): Promise<GatewayError> {
  const text = await readText(client, response, signal);
  const message = cleanText(client, upstreamErrorMessage(text));
  return errorFromUpstreamStatus(client.provider, response.statusCode, message, response.headers['retry-after']);
}

/**
 * The parsed JSON of a 2xx answer; an error status throws the mapped error. A 200 whose body is not JSON
 * is a protocol error (retryable: another provider may answer properly).
 */
export async function readJson(client: UpstreamClient, response: UpstreamResponse, signal: AbortSignal): Promise<unknown> {
  if (!isSuccess(response)) throw await errorFromResponse(client, response, signal);
  const text = await readText(client, response, signal);
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new UpstreamProtocolError(`${client.provider}: the answer is not JSON: ${cleanText(client, text.slice(0, 120))}`, err);
  }
}

async function readText(client: UpstreamClient, response: UpstreamResponse, signal: AbortSignal): Promise<string> {
  try {
    return await response.body.text();
  } catch (err) {
    throw client.transportError(err, signal, 'read');
  }
}

/** Reads and drops a body we do not need, so the pooled connection can be reused. */
export async function discard(response: UpstreamResponse): Promise<void> {
  try {
    await response.body.dump();
  } catch {
    // the connection is dropped instead of reused; nothing the caller must know
  }
}
