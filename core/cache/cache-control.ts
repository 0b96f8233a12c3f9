/** What the caller's `Cache-Control` header asks of the cache. */
export interface CallerCacheControl {
  /** `no-cache`: do not answer from the cache (the fresh answer is still stored). */
  skipLookup: boolean;
  /** `no-store`: neither answer from the cache nor store the answer. */
  skipStore: boolean;
}

export function parseCacheControl(header: string | undefined): CallerCacheControl {
  const directives = (header ?? '')
    .toLowerCase()
    .split(',')
    .map((d) => d.trim());
  const noStore = directives.includes('no-store');
  return { skipLookup: noStore || directives.includes('no-cache'), skipStore: noStore };
}
