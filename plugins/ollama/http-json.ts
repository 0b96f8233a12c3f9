import { readJson, type UpstreamClient } from '../../core/index.ts';
import { ollamaReply } from './upstream-errors.ts';

export interface OllamaDeps {
  /** The instance name, for messages. */
  name: string;
  client: UpstreamClient;
}

/** Sends a JSON request (GET when `payload` is undefined) and returns the parsed 2xx body, or throws the mapped error. */
export async function requestJson(deps: OllamaDeps, path: string, payload: unknown, signal: AbortSignal, headers?: Readonly<Record<string, string>>): Promise<unknown> {
  const response = await deps.client.send(path, {
    body: payload === undefined ? undefined : JSON.stringify(payload),
    signal,
    headers,
  });
  return readJson(deps.client, response, signal, ollamaReply);
}
