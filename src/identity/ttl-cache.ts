/** Options of one bounded cache. */
export interface TtlCacheOptions {
  /** Most entries kept; inserting past it evicts the least recently used. */
  readonly maxEntries: number;
  /** Milliseconds since an arbitrary origin; `Date.now` by default (injected in tests). */
  readonly now?: () => number;
}

/**
 * A size-bounded LRU map whose entries expire. `get` returns only fresh entries; `peek` also
 * returns expired ones, so a value resolved just before a transform is still readable if it
 * expires in between (the resolver refreshes it on the next resolve).
 */
export class TtlCache<V> {
  private readonly entries = new Map<string, { value: V; expiresAt: number }>();
  private readonly now: () => number;

  constructor(private readonly options: TtlCacheOptions) {
    if (!(options.maxEntries >= 1)) throw new RangeError('maxEntries must be at least 1');
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The value if present and fresh; marks it recently used. */
  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined || entry.expiresAt <= this.now()) return undefined;
    this.touch(key, entry);
    return entry.value;
  }

  /** The value even if expired; does not change recency. */
  peek(key: string): V | undefined {
    return this.entries.get(key)?.value;
  }

  set(key: string, value: V, ttlMs: number): void {
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAt: this.now() + ttlMs });
    while (this.entries.size > this.options.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }

  private touch(key: string, entry: { value: V; expiresAt: number }): void {
    // Map keeps insertion order: re-inserting moves the key to the most-recent end.
    this.entries.delete(key);
    this.entries.set(key, entry);
  }
}
