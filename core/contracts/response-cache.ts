/**
 * A store for finished answers, keyed by a hash the core computes from the normalized request. Values are
 * opaque strings. A cache must never fail a request: implementations report trouble by resolving
 * `undefined` from `get` and by ignoring failed `set`s, and say so through `healthy`.
 */
export interface ResponseCache {
  readonly name: string;
  get(key: string, signal?: AbortSignal): Promise<string | undefined>;
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  /** `false` while the backing store is unreachable; shown in `/v1/health`. */
  healthy(): boolean;
  close?(): Promise<void>;
}
