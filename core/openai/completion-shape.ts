import type { ChatCompletion } from '../contracts/openai.ts';
import { UpstreamProtocolError } from '../errors/upstream-protocol-error.ts';

/** A 200 without a choices list is the provider breaking its protocol: retryable, another entry may answer. */
export function requireChoices(completion: ChatCompletion, resolved: string): ChatCompletion {
  if (!completion || !Array.isArray(completion.choices)) throw new UpstreamProtocolError(`${resolved} returned an answer without choices`);
  return completion;
}
