import { randomUUID } from 'node:crypto';
import type { ResponseOutputItem } from '../contracts/responses.ts';

const PREFIX: Record<ResponseOutputItem['type'], string> = { message: 'msg', function_call: 'fc', reasoning: 'rs' };

const ITEM_ID = /^(?:msg|fc|rs)_([0-9a-f]{32})_\d+$/;

/**
 * A new response id, `resp_` and 32 hex digits (a random UUID's, 122 random bits). `randomUUID` draws
 * from an entropy cache; a `randomBytes` call per response cost about 4 µs more.
 */
export function responseId(): string {
  return `resp_${randomUUID().replaceAll('-', '')}`;
}

/**
 * The id of a response's output item: its kind's prefix (`msg_`, `fc_`, `rs_`), the response's own digits and
 * the item's output index. The same answer gets the same ids whether it was streamed or not, and an item id
 * names the response it came from, so that an `item_reference` can be found by loading that one response.
 * `fc_` matters beyond looks: OpenAI refuses a replayed `function_call` whose id does not start with `fc`.
 */
export function outputItemId(kind: ResponseOutputItem['type'], responseId: string, outputIndex: number): string {
  return `${PREFIX[kind]}_${responseId.slice('resp_'.length)}_${outputIndex}`;
}

/** The id of the response an output item id came from; undefined for an id this gateway did not make. */
export function responseIdOfItem(itemId: string): string | undefined {
  const match = ITEM_ID.exec(itemId);
  return match ? `resp_${match[1]}` : undefined;
}
