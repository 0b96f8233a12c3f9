import { UpstreamProtocolError, type UpstreamClient, type UpstreamResponse } from '../../core/index.ts';
import { ollamaStatusError } from './upstream-errors.ts';

export interface OllamaDeps {
  /** The instance name, for messages. */
  name: string;
  client: UpstreamClient;
}

/** Sends a JSON request (GET when `payload` is undefined) and returns the parsed 2xx body, or throws the mapped error. */
export async function requestJson(deps: OllamaDeps, path: string, payload: unknown, signal: AbortSignal): Promise<unknown> {
  const response = await deps.client.send(path, {
    body: payload === undefined ? undefined : JSON.stringify(payload),
    signal,
  });
  if (response.statusCode < 200 || response.statusCode >= 300) throw await statusErrorOf(deps, response, signal);
  const text = await readText(deps, response, signal);
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new UpstreamProtocolError(`${deps.name}: ${path} answered ${response.statusCode} with a body that is not JSON: ${text.slice(0, 120)}`, err);
  }
}

/** Reads a whole body; a connection dropped halfway is a transport failure like any other. */
export async function readText(deps: OllamaDeps, response: UpstreamResponse, signal: AbortSignal): Promise<string> {
  try {
    return await response.body.text();
  } catch (err) {
    throw deps.client.transportError(err, signal, 'read');
  }
}

/** The mapped error of a non-2xx answer, reading its body for Ollama's `{"error": "..."}` message. */
export async function statusErrorOf(deps: OllamaDeps, response: UpstreamResponse, signal: AbortSignal): Promise<Error> {
  let text = '';
  try {
    text = await response.body.text();
  } catch {
    // The status alone still says what happened.
  }
  if (signal.aborted) return (signal.reason as Error) ?? new Error('aborted');
  return ollamaStatusError(deps.name, response.statusCode, text, response.headers['retry-after']);
}
