import { randomFillSync } from 'node:crypto';
import type { ResponseOutputItem } from '../contracts/responses.ts';

const PREFIX: Record<ResponseOutputItem['type'], string> = { message: 'msg', function_call: 'fc', reasoning: 'rs' };

const ITEM_ID = /^(?:msg|fc|rs)_([0-9a-f]{32})_\d+$/;

/** Random bytes for this many response ids are drawn at once (as `randomUUID` keeps an entropy cache). */
const IDS_PER_DRAW = 256;
const ID_BYTES = 16;
const pool = Buffer.alloc(IDS_PER_DRAW * ID_BYTES);
let poolOffset = pool.length;

/**
 * A new response id, `resp_` and 32 hex digits: 128 random bits from the system's CSPRNG, drawn for 256
 * ids at a time and each used once. A `randomBytes` call per response cost about 4 µs more, and a random
 * UUID with its dashes removed cost three times as much as this.
 */
export function responseId(): string {
  if (poolOffset === pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const id = `resp_${pool.toString('hex', poolOffset, poolOffset + ID_BYTES)}`;
  poolOffset += ID_BYTES;
  return id;
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
