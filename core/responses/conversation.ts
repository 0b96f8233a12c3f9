import type { ConversationItem, ResponseObject } from '../contracts/responses.ts';

/**
 * The conversation a finished response leaves for `previous_response_id` to continue: the conversation it
 * continued, then its own turn's input items (`inputItems`, references resolved), then its output. The
 * route keeps this list with the stored response, so a continuation loads one response, not the chain.
 */
export function conversationAfter(history: readonly ConversationItem[], input: readonly ConversationItem[], response: Pick<ResponseObject, 'output'>): ConversationItem[] {
  return [...history, ...input, ...response.output];
}
