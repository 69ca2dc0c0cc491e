import { uuid5OfMessage } from './uuid5.js';

/**
 * Version 5 UUIDs of messages that share a long prefix, hashed from the SHA-1 state after the
 * prefix rather than from the start.
 *
 * Every xAPI statement id is uuid5(namespace, `<actor JSON>-<timestamp>`): the namespace and the
 * actor (about 130 bytes) are the same for all of a learner's statements with one verb, and only
 * the timestamp differs. Once the prefix's whole 64-byte blocks are hashed, an id costs one block
 * of SHA-1 (FIPS 180-4 §6.1) here, against a call into OpenSSL that hashes all three and took
 * about twice as long per id in a micro-benchmark. Checked against node:crypto in the tests.
 */

/** The SHA-1 state after a prefix's whole blocks, the bytes after them, and the whole prefix. */
export interface Sha1Prefix {
  readonly state: Int32Array;
  readonly rest: Uint8Array;
  readonly bytes: Uint8Array;
}

const INITIAL_STATE = [0x67452301, 0xefcdab89 | 0, 0x98badcfe | 0, 0x10325476, 0xc3d2e1f0 | 0];

/**
 * The scratch space of suffix hashing: the padded tail, the running digest and the id's
 * characters, overwritten by every id. One per transform context (TransformCaches), so no two
 * contexts, and no caller outside one, write into the same buffers.
 */
export class Uuid5SuffixHasher {
  private readonly tail = new Uint8Array(64 * 4);
  private readonly digest = new Int32Array(5);
  private readonly uuidChars = Buffer.alloc(36);

  /** The SHA-1 state after the prefix's whole blocks, kept to hash many suffixes after it. */
  prefix(prefix: Uint8Array): Sha1Prefix {
    const state = Int32Array.from(INITIAL_STATE);
    const whole = prefix.length - (prefix.length % 64);
    for (let offset = 0; offset < whole; offset += 64) compress(state, prefix, offset);
    const bytes = Uint8Array.from(prefix);
    return { state, rest: bytes.subarray(whole), bytes };
  }

  /**
   * The version 5 UUID (lowercase, hyphenated) of the prefix followed by the UTF-8 of `suffix`.
   * A suffix that is not ASCII (its UTF-8 is then more than its code units) or too long for the
   * tail buffer, which no Open edX timestamp is, is hashed whole with node:crypto instead.
   */
  uuid5WithSuffix(prefix: Sha1Prefix, suffix: string): string {
    if (suffix.length > 128) return uuid5OfWhole(prefix, suffix);
    const { tail, digest } = this;
    digest.set(prefix.state);
    tail.set(prefix.rest, 0);
    let at = prefix.rest.length;
    for (let i = 0; i < suffix.length; i++) {
      const code = suffix.charCodeAt(i);
      if (code > 0x7f) return uuid5OfWhole(prefix, suffix);
      tail[at++] = code;
    }
    // Padding: 0x80, zeros, then the message length in bits as a 64-bit big-endian number.
    tail[at++] = 0x80;
    const end = Math.ceil((at + 8) / 64) * 64;
    tail.fill(0, at, end);
    const bits = (prefix.bytes.length + suffix.length) * 8;
    tail[end - 5] = Math.floor(bits / 2 ** 32) & 0xff;
    tail[end - 4] = (bits >>> 24) & 0xff;
    tail[end - 3] = (bits >>> 16) & 0xff;
    tail[end - 2] = (bits >>> 8) & 0xff;
    tail[end - 1] = bits & 0xff;
    for (let offset = 0; offset < end; offset += 64) compress(digest, tail, offset);
    return uuidText(digest, this.uuidChars);
  }
}

function uuid5OfWhole(prefix: Sha1Prefix, suffix: string): string {
  return uuid5OfMessage(Buffer.concat([prefix.bytes, Buffer.from(suffix, 'utf8')]));
}

const HEX_DIGITS = Buffer.from('0123456789abcdef', 'latin1');

function byteOf(words: Int32Array, index: number): number {
  return ((words[index >> 2] as number) >>> (24 - (index & 3) * 8)) & 0xff;
}

/**
 * The first 16 digest bytes as a UUID, with version 5 and the RFC 4122 variant set. Written as
 * characters and read back as one string: joined from 20 pieces, it would be a tree of strings
 * that serialising has to flatten.
 */
function uuidText(words: Int32Array, uuidChars: Buffer): string {
  let at = 0;
  for (let i = 0; i < 16; i++) {
    let byte = byteOf(words, i);
    if (i === 6) byte = (byte & 0x0f) | 0x50;
    else if (i === 8) byte = (byte & 0x3f) | 0x80;
    if (i === 4 || i === 6 || i === 8 || i === 10) uuidChars[at++] = 0x2d;
    uuidChars[at++] = HEX_DIGITS[byte >> 4] as number;
    uuidChars[at++] = HEX_DIGITS[byte & 0x0f] as number;
  }
  return uuidChars.toString('latin1', 0, 36);
}

/**
 * The message schedule W of FIPS 180-4 §6.1.2: written whole and read within one call of
 * `compress`, so nothing in it outlives the call, as with a local variable. Kept here rather than
 * in Uuid5SuffixHasher because, as a module constant of known length, the engine drops the bounds
 * checks of its 400 reads per block: passed in, each id cost 10 to 15 % more.
 */
const schedule = new Int32Array(80);

/** One 64-byte block into the state (FIPS 180-4 §6.1.2). */
function compress(state: Int32Array, bytes: Uint8Array, offset: number): void {
  const w = schedule;
  for (let i = 0; i < 16; i++) {
    const j = offset + i * 4;
    w[i] = ((bytes[j] as number) << 24) | ((bytes[j + 1] as number) << 16) | ((bytes[j + 2] as number) << 8) | (bytes[j + 3] as number);
  }
  for (let i = 16; i < 80; i++) {
    const x = (w[i - 3] as number) ^ (w[i - 8] as number) ^ (w[i - 14] as number) ^ (w[i - 16] as number);
    w[i] = (x << 1) | (x >>> 31);
  }
  let a = state[0] as number;
  let b = state[1] as number;
  let c = state[2] as number;
  let d = state[3] as number;
  let e = state[4] as number;
  for (let i = 0; i < 80; i++) {
    let f: number;
    let k: number;
    if (i < 20) {
      f = (b & c) | (~b & d);
      k = 0x5a827999;
    } else if (i < 40) {
      f = b ^ c ^ d;
      k = 0x6ed9eba1;
    } else if (i < 60) {
      f = (b & c) | (b & d) | (c & d);
      k = 0x8f1bbcdc | 0;
    } else {
      f = b ^ c ^ d;
      k = 0xca62c1d6 | 0;
    }
    const t = (((a << 5) | (a >>> 27)) + f + e + k + (w[i] as number)) | 0;
    e = d;
    d = c;
    c = (b << 30) | (b >>> 2);
    b = a;
    a = t;
  }
  state[0] = ((state[0] as number) + a) | 0;
  state[1] = ((state[1] as number) + b) | 0;
  state[2] = ((state[2] as number) + c) | 0;
  state[3] = ((state[3] as number) + d) | 0;
  state[4] = ((state[4] as number) + e) | 0;
}
