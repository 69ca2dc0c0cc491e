/**
 * UTF-8 bytes written piece by piece into one buffer, which grows as needed and is reused from
 * message to message.
 *
 * Statement and event ids hash a few hundred to a few thousand bytes per event, assembled from
 * many small strings. Encoding each piece here, code unit by code unit, costs less than
 * concatenating the pieces into one string (and flattening it) and then encoding that with
 * Buffer.write; and it allocates nothing per message.
 */
export class Utf8Writer {
  private buffer: Buffer = Buffer.allocUnsafe(4096);
  private length = 0;

  /** Start a new message. */
  reset(): void {
    this.length = 0;
  }

  /** The message so far, as a view that the next message overwrites. */
  written(): Buffer {
    return this.buffer.subarray(0, this.length);
  }

  /** One byte, such as an ASCII punctuation mark. */
  byte(value: number): void {
    this.reserve(1);
    this.buffer[this.length++] = value;
  }

  bytes(source: Uint8Array): void {
    this.reserve(source.length);
    this.buffer.set(source, this.length);
    this.length += source.length;
  }

  /** Text as Buffer.from(text, 'utf8') encodes it (a lone surrogate becomes U+FFFD). */
  text(text: string): void {
    this.encode(text, false);
  }

  /**
   * A string as JSON.stringify writes it: quoted; `"`, `\` and control characters escaped
   * (`\n`-style where JSON has a short form, else `\u00xx`), lone surrogates as `\udxxx`.
   */
  jsonString(text: string): void {
    this.byte(QUOTE);
    this.encode(text, true);
    this.byte(QUOTE);
  }

  private encode(text: string, json: boolean): void {
    // The most bytes one UTF-16 code unit can take: 6 for a `\uXXXX` escape, else 3.
    this.reserve(text.length * (json ? 6 : 3));
    const out = this.buffer;
    let at = this.length;
    for (let i = 0; i < text.length; i++) {
      let code = text.charCodeAt(i);
      if (code < 0x80) {
        if (json && (code < 0x20 || code === QUOTE || code === BACKSLASH)) {
          at = writeEscape(out, at, code);
        } else {
          out[at++] = code;
        }
        continue;
      }
      if (code < 0x800) {
        out[at++] = 0xc0 | (code >> 6);
        out[at++] = 0x80 | (code & 0x3f);
        continue;
      }
      if (code >= 0xd800 && code <= 0xdfff) {
        const next = i + 1 < text.length ? text.charCodeAt(i + 1) : 0;
        if (code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
          const point = 0x10000 + ((code - 0xd800) << 10) + (next - 0xdc00);
          out[at++] = 0xf0 | (point >> 18);
          out[at++] = 0x80 | ((point >> 12) & 0x3f);
          out[at++] = 0x80 | ((point >> 6) & 0x3f);
          out[at++] = 0x80 | (point & 0x3f);
          i++;
          continue;
        }
        if (json) {
          at = writeUnicodeEscape(out, at, code);
          continue;
        }
        code = 0xfffd;
      }
      out[at++] = 0xe0 | (code >> 12);
      out[at++] = 0x80 | ((code >> 6) & 0x3f);
      out[at++] = 0x80 | (code & 0x3f);
    }
    this.length = at;
  }

  private reserve(bytes: number): void {
    const needed = this.length + bytes;
    if (needed <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(needed, this.buffer.length * 2));
    this.buffer.copy(grown, 0, 0, this.length);
    this.buffer = grown;
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const HEX_DIGITS = '0123456789abcdef';
// JSON's two-character escapes, by the code they stand for.
const SHORT_ESCAPES: Record<number, number> = { 0x08: 0x62, 0x09: 0x74, 0x0a: 0x6e, 0x0c: 0x66, 0x0d: 0x72, 0x22: 0x22, 0x5c: 0x5c };

function writeEscape(out: Buffer, at: number, code: number): number {
  const short = SHORT_ESCAPES[code];
  if (short === undefined) return writeUnicodeEscape(out, at, code);
  out[at++] = BACKSLASH;
  out[at++] = short;
  return at;
}

/** `\uXXXX` with lowercase hex, as JSON.stringify writes it. */
function writeUnicodeEscape(out: Buffer, at: number, code: number): number {
  out[at++] = BACKSLASH;
  out[at++] = 0x75; // u
  for (let shift = 12; shift >= 0; shift -= 4) out[at++] = HEX_DIGITS.charCodeAt((code >> shift) & 0xf);
  return at;
}
