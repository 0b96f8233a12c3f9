// A store of strings bounded in bytes: the memory-cache plugin's cache, and the core's own store of
// Responses-API answers when the profile has no cache plugin.

/**
 * What one entry costs beyond its key and value bytes: the Map slot, the entry object and the string
 * headers. A rough figure on purpose; it keeps a flood of tiny entries from escaping the bound.
 */
export const ENTRY_OVERHEAD_BYTES = 128;

interface Entry {
  value: string;
  expiresAt: number;
  bytes: number;
}

/**
 * A least-recently-used map of strings bounded in bytes, with a TTL per entry. A Map iterates in
 * insertion order, so re-inserting an entry on every read keeps the least recently used one first.
 * Sizes are UTF-8 byte lengths: a stable measure, close to what V8 holds for the ASCII-heavy JSON cached here.
 */
export class ByteLru {
  private readonly entries = new Map<string, Entry>();
  private totalBytes = 0;

  constructor(
    private readonly maxBytes: number,
    private readonly maxEntryBytes: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Bytes held now, by the same measure as the bound. */
  get bytes(): number {
    return this.totalBytes;
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: string): string | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    if (entry.expiresAt <= this.now()) {
      this.totalBytes -= entry.bytes;
      return undefined;
    }
    this.entries.set(key, entry);
    return entry.value;
  }

  /** Stores `value` for `ttlMs`; an entry over the per-entry bound (or the whole bound) is not stored. */
  set(key: string, value: string, ttlMs: number): void {
    const bytes = Buffer.byteLength(key) + Buffer.byteLength(value) + ENTRY_OVERHEAD_BYTES;
    if (bytes > this.maxEntryBytes || bytes > this.maxBytes || !(ttlMs > 0)) return;
    this.delete(key);
    this.entries.set(key, { value, expiresAt: this.now() + ttlMs, bytes });
    this.totalBytes += bytes;
    this.evictOverflow();
  }

  delete(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.totalBytes -= entry.bytes;
  }

  /** Keys from least to most recently used (for tests and debugging). */
  keys(): string[] {
    return [...this.entries.keys()];
  }

  private evictOverflow(): void {
    for (const [key, entry] of this.entries) {
      if (this.totalBytes <= this.maxBytes) return;
      this.entries.delete(key);
      this.totalBytes -= entry.bytes;
    }
  }
}
