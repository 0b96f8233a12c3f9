/**
 * The one result every finished iterator of the stream path hands back. Frozen, so sharing it is safe:
 * a stream's end costs no allocation, and no caller can turn it into a value.
 */
export const DONE = Object.freeze({ done: true, value: undefined }) as IteratorReturnResult<undefined>;
