import type { ConversationItem, ResponsesRequest } from '../contracts/responses.ts';
import { InvalidRequestError } from '../errors/invalid-request-error.ts';

/** The ids the request's `item_reference`s name, for the route to look up (see `responseIdOfItem`). */
export function referencedItemIds(request: ResponsesRequest): string[] {
  if (!Array.isArray(request.input)) return [];
  const ids: string[] = [];
  for (const item of request.input) if (item.type === 'item_reference') ids.push(item.id);
  return ids;
}

/**
 * The request's input as conversation items, one for each input entry (so `input[i]` still names the i-th):
 * a string is one user message, an `item_reference` is the item it names. These are what a stored
 * response keeps as its turn's input; `instructions` are not among them, as OpenAI does not carry them
 * over to the next response either.
 */
export function inputItems(request: ResponsesRequest, referenced: ReadonlyMap<string, ConversationItem> = new Map()): ConversationItem[] {
  if (typeof request.input === 'string') return [{ type: 'message', role: 'user', content: request.input }];
  return request.input.map((item, i) => {
    if (item.type !== 'item_reference') return item;
    const found = referenced.get(item.id);
    if (!found) {
      throw new InvalidRequestError(`No stored item has the id "${item.id}": an item_reference must name an item of a response this gateway stored for you.`, `input[${i}].id`);
    }
    return found;
  });
}
