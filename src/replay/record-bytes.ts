/**
 * Encoded records appended as UTF-8 into one growing buffer. A unit's records then cross from a
 * transform worker to the reading thread as one transferred ArrayBuffer (no copy, no string for
 * the receiving heap to collect), and request bodies are joined from byte ranges of it without
 * encoding anything again. Joining strings and letting the HTTP client encode each body cost the
 * reading thread most of its time before.
 */
export class RecordBytes {
  private buffer: Buffer;
  private used = 0;
  private readonly ends: number[] = [];

  constructor(expectedBytes: number) {
    // Its own ArrayBuffer (never Node's shared pool), so that it can be transferred.
    this.buffer = Buffer.allocUnsafeSlow(Math.max(1024, expectedBytes));
  }

  /** Appends one record; returns its end offset (the next record starts there). */
  add(text: string): number {
    // A UTF-16 code unit never takes more than 3 bytes in UTF-8.
    const room = this.used + text.length * 3;
    if (room > this.buffer.length) {
      const grown = Buffer.allocUnsafeSlow(Math.max(room, this.buffer.length * 2));
      this.buffer.copy(grown, 0, 0, this.used);
      this.buffer = grown;
    }
    this.used += this.buffer.write(text, this.used, 'utf8');
    this.ends.push(this.used);
    return this.used;
  }

  get count(): number {
    return this.ends.length;
  }

  /** The records' bytes (a view of the whole buffer's first bytes) and each record's end. */
  take(): { bytes: Uint8Array; ends: number[] } {
    return { bytes: new Uint8Array(this.buffer.buffer, this.buffer.byteOffset, this.used), ends: this.ends };
  }
}

/** Record `i` of `bytes`/`ends` (as `RecordBytes.take` gives them), as a Buffer view. */
export function recordAt(bytes: Uint8Array, ends: readonly number[], i: number): Buffer {
  const start = i === 0 ? 0 : (ends[i - 1] as number);
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, (ends[i] as number) - start);
}
