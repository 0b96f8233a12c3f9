import { ByteLru } from '../cache/byte-lru.ts';
import type { ResponseCache } from '../contracts/response-cache.ts';
import { withDeadline } from '../cache/with-deadline.ts';
import { ResponseStoreUnavailableError } from '../errors/response-store-unavailable-error.ts';
import type { Logger } from '../log/logger.ts';

/**
 * What is kept of a finished Responses-API answer: the response as the caller got it, and the whole
 * conversation up to and including it (every earlier input and output of its chain of responses), so
 * that continuing from it (`previous_response_id`) costs one read, however long the chain.
 */
export interface StoredResponse<Response = unknown, Item = unknown> {
  v: 1;
  response: Response;
  conversation: Item[];
}

/** Without a cache plugin the core keeps stored responses itself, bounded. */
const MEMORY_BYTES = 64 * 2 ** 20;
const MEMORY_ENTRY_BYTES = 8 * 2 ** 20;
/** A store slower than this is given up. */
const DEADLINE_MS = 1000;

/**
 * Stored Responses-API answers, for `RESPONSE_STORE_TTL` seconds, in the response cache's backend (Redis
 * when configured) or in memory. Each caller has its own key space: another caller's id is simply not
 * there. Storing never fails a request; reading fails only as "unavailable", never as a false "absent".
 */
export class ResponseStore {
  private readonly backend: ResponseCache;

  constructor(
    backend: ResponseCache | undefined,
    private readonly ttlSeconds: number,
    private readonly log: Logger,
  ) {
    this.backend = backend ?? memoryBackend();
  }

  /** `RESPONSE_STORE_TTL=0`: nothing is stored, and no id can be read back. */
  get enabled(): boolean {
    return this.ttlSeconds > 0;
  }

  /**
   * Stores a finished response; never awaited by the request, never rejects. `responseJson` is the
   * response already serialized (the body the caller got): it is kept as it is rather than serialized again.
   */
  save(callerScope: string | undefined, id: string, record: StoredResponse, responseJson?: string): Promise<void> {
    if (!this.enabled) return Promise.resolve();
    const text = responseJson === undefined ? JSON.stringify(record) : `{"v":${record.v},"response":${responseJson},"conversation":${JSON.stringify(record.conversation)}}`;
    return withDeadline(this.backend.set(key(callerScope, id), text, this.ttlSeconds), DEADLINE_MS, 'storing a response').catch((err: unknown) => {
      this.log.warn({ responseId: id, err: (err as Error)?.message }, 'a response could not be stored; it cannot be read back or continued');
    });
  }

  /** The stored response, or undefined when there is none for this caller (unknown, expired, deleted, another caller's). */
  async load<Response, Item>(callerScope: string | undefined, id: string): Promise<StoredResponse<Response, Item> | undefined> {
    if (!this.enabled) return undefined;
    let text: string | undefined;
    try {
      text = await withDeadline(this.backend.get(key(callerScope, id)), DEADLINE_MS, 'reading a stored response');
    } catch (err) {
      throw new ResponseStoreUnavailableError(err);
    }
    if (text === undefined || text === '') return undefined;
    return JSON.parse(text) as StoredResponse<Response, Item>;
  }

  /** Removes a stored response; whether there was one for this caller. */
  async delete(callerScope: string | undefined, id: string): Promise<boolean> {
    const found = await this.load(callerScope, id);
    if (!found) return false;
    const k = key(callerScope, id);
    try {
      // A backend without delete gets an empty value that expires at once, which reads as absent.
      await withDeadline(this.backend.delete ? this.backend.delete(k) : this.backend.set(k, '', 1), DEADLINE_MS, 'deleting a stored response');
    } catch (err) {
      throw new ResponseStoreUnavailableError(err);
    }
    return true;
  }
}

function key(callerScope: string | undefined, id: string): string {
  return `response:${callerScope ?? 'open'}:${id}`;
}

function memoryBackend(): ResponseCache {
  const lru = new ByteLru(MEMORY_BYTES, MEMORY_ENTRY_BYTES);
  return {
    name: 'response-store-memory',
    get: async (k) => lru.get(k),
    set: async (k, value, ttlSeconds) => lru.set(k, value, ttlSeconds * 1000),
    delete: async (k) => lru.delete(k),
    healthy: () => true,
  };
}
