/**
 * A store for finished answers, keyed by a hash the core computes from the normalized request. Values are
 * opaque strings the core writes and reads back. A cache must never fail a request: the core treats a
 * rejected `get` or `set` as a cache error (the request is answered uncached and the result is counted as
 * `error`), so an implementation may simply reject when its backing store is down or slow — after a short
 * timeout of its own, never hanging. Values larger than the implementation's limit are silently not stored.
 * Connections are released through the plugin context's `onClose`.
 */
export interface ResponseCache {
  readonly name: string;
  /** The stored value, or `undefined` when there is none (or it expired). */
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  /**
   * Removes a value (a stored Responses-API answer its caller deleted). Optional: without it the core
   * overwrites the value with an empty one that expires at once, which reads as absent.
   */
  delete?(key: string): Promise<void>;
  /** `false` while the backing store is unreachable; shown in `/v1/health`. */
  healthy(): boolean;
}
