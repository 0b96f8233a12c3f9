import type { ResponseEcho, ResponsesRequest } from '../contracts/responses.ts';
import { unixSeconds } from '../openai/ids.ts';
import { responseId } from './ids.ts';
import { responseEcho } from './response-echo.ts';

/** What every form of one response shares: its id, when it began, the model that answered, the echo. */
export interface ResponseContext {
  id: string;
  /** Unix seconds. */
  createdAt: number;
  /** The resolved `provider/model`. */
  model: string;
  echo: ResponseEcho;
  /** Unix seconds now, for `completed_at`; a parameter so that tests can fix it. */
  now: () => number;
}

export function responseContext(
  request: ResponsesRequest,
  model: string,
  options: { id?: string; createdAt?: number; now?: () => number } = {},
): ResponseContext {
  const now = options.now ?? unixSeconds;
  return { id: options.id ?? responseId(), createdAt: options.createdAt ?? now(), model, echo: responseEcho(request), now };
}
