import type { ConversationItem, ResponseObject, ResponsesRequest } from '../contracts/responses.ts';
import { ModelNotFoundError } from '../errors/model-not-found-error.ts';
import { responseIdOfItem } from './ids.ts';
import { referencedItemIds } from './input-items.ts';
import type { ResponseStore, StoredResponse } from './response-store.ts';

/** What a request continues from: the stored conversation before it, and the stored items it names. */
export interface EarlierTurns {
  history: ConversationItem[];
  referenced: ReadonlyMap<string, ConversationItem>;
}

type Stored = StoredResponse<ResponseObject, ConversationItem>;

const NOTHING_REFERENCED: ReadonlyMap<string, ConversationItem> = new Map();

/** What a request that continues nothing continues from. */
export const NO_EARLIER_TURNS: EarlierTurns = Object.freeze({ history: Object.freeze([]) as unknown as ConversationItem[], referenced: NOTHING_REFERENCED });

/**
 * Whether the request continues anything stored: a `previous_response_id`, or an input list (which may
 * hold `item_reference`s). Most requests do not, and need not wait for `loadEarlierTurns` at all.
 */
export function continuesEarlierTurns(request: ResponsesRequest): boolean {
  return typeof request.previous_response_id === 'string' || Array.isArray(request.input);
}

/**
 * Loads, for this caller only, the conversation `previous_response_id` continues and the items its
 * `item_reference`s name (each item id says which response it came from, so one read finds it). An
 * unknown, expired or another caller's response id is the CONTRACT's 404 on `previous_response_id`; a
 * reference that names nothing stored is left for the translation to refuse with its own `param`.
 */
export async function loadEarlierTurns(store: ResponseStore, callerScope: string | undefined, request: ResponsesRequest): Promise<EarlierTurns> {
  // Most requests continue nothing: no store to ask, nothing to allocate.
  if (!continuesEarlierTurns(request)) return NO_EARLIER_TURNS;
  const loaded = new Map<string, Stored | undefined>();
  const load = async (id: string): Promise<Stored | undefined> => {
    if (!loaded.has(id)) loaded.set(id, await store.load<ResponseObject, ConversationItem>(callerScope, id));
    return loaded.get(id);
  };
  let history: ConversationItem[] = [];
  const previous = request.previous_response_id;
  if (typeof previous === 'string') {
    const stored = await load(previous);
    if (!stored) {
      throw new ModelNotFoundError(
        `No stored response "${previous}" for this caller: it is unknown, expired (RESPONSE_STORE_TTL), deleted, or was made with store: false.`,
        { param: 'previous_response_id' },
      );
    }
    history = stored.conversation;
  }
  const referenced = new Map<string, ConversationItem>();
  for (const itemId of referencedItemIds(request)) {
    const responseId = responseIdOfItem(itemId);
    const stored = responseId ? await load(responseId) : undefined;
    const item = stored?.conversation.find((i) => (i as { id?: string }).id === itemId);
    if (item) referenced.set(itemId, item);
  }
  return { history, referenced };
}
