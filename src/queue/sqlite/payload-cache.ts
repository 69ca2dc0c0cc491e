/**
 * The JSON text of items this process has just enqueued, by seq, so that leasing them does not
 * read back from the file what was written a moment before (most items are delivered soon after
 * they are enqueued). Only a cache: a row's payload never changes, the file stays the truth for
 * everything else, and a miss reads the file. Bounded by characters; when full, new items are
 * simply not kept (the oldest, which are leased first, stay).
 */
export class PayloadCache {
  private readonly texts = new Map<number, string>();
  private chars = 0;

  constructor(private readonly maxChars: number) {}

  get(seq: number): string | undefined {
    return this.texts.get(seq);
  }

  add(seq: number, json: string): void {
    if (this.chars + json.length > this.maxChars) return;
    this.texts.set(seq, json);
    this.chars += json.length;
  }

  delete(seq: number): void {
    const json = this.texts.get(seq);
    if (json === undefined) return;
    this.texts.delete(seq);
    this.chars -= json.length;
  }

  /** Another connection changed the file (rows may be gone): start again empty. */
  clear(): void {
    this.texts.clear();
    this.chars = 0;
  }

  get size(): number {
    return this.texts.size;
  }
}
