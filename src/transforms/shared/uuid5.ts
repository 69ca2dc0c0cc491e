import { hash } from 'node:crypto';
import type { Utf8Writer } from './utf8-writer.js';

/** RFC 4122 namespace for DNS names; ERB hard-codes it as the root of its statement ids. */
export const NAMESPACE_DNS = '6ba7b810-9dad-11d1-80b4-00c04fd430c8';

/** The 16 bytes of a UUID given as text. */
export function uuidBytes(uuid: string): Buffer {
  const bytes = Buffer.from(uuid.replace(/-/g, ''), 'hex');
  if (bytes.length !== 16) throw new TypeError(`invalid namespace UUID: ${uuid}`);
  return bytes;
}

// The RFC 4122 variant (binary 10xx) for each value of the digest's high nibble of byte 8.
const VARIANT_NIBBLE = '89ab89ab89ab89ab';

/**
 * RFC 4122 version 5 UUID (SHA-1 of namespace bytes + UTF-8 name), lowercase and hyphenated,
 * with the namespace given as its 16 bytes (see `uuidBytes`); ids are made per statement, so
 * namespaces are converted once. The message is assembled in `writer`, the caller's scratch
 * space (a transform context's, see TransformCaches).
 */
export function uuid5Text(namespace: Uint8Array, name: string, writer: Utf8Writer): string {
  writer.reset();
  writer.bytes(namespace);
  writer.text(name);
  return uuid5OfMessage(writer.written());
}

/**
 * The version 5 UUID of a message already assembled: the 16 namespace bytes, then the name's.
 * For names written piece by piece (see Utf8Writer) rather than built as one string first.
 */
export function uuid5OfMessage(message: Uint8Array): string {
  // The digest is asked for as hex: a Buffer digest costs about as much again as the hashing
  // itself, and the id is wanted as text anyway.
  const hex = hash('sha1', message, 'hex');
  // The first 16 bytes, with the version (5) as the high nibble of byte 6 (hex digit 12) and
  // the variant in the high bits of byte 8 (hex digit 16).
  const variant = VARIANT_NIBBLE[parseInt(hex.charAt(16), 16)] as string;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** RFC 4122 version 5 UUID as its 16 bytes (for use as a namespace). */
export function uuid5Bytes(namespace: Uint8Array, name: string, writer: Utf8Writer): Buffer {
  return uuidBytes(uuid5Text(namespace, name, writer));
}

/** Lowercase hyphenated text of 16 UUID bytes. */
export function formatUuid(bytes: Buffer): string {
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/**
 * RFC 4122 version 5 UUID (SHA-1 of namespace bytes + UTF-8 name), lowercase and hyphenated.
 * For constants and tests: it assembles the message in a buffer of its own.
 */
export function uuid5(namespace: string, name: string): string {
  return uuid5OfMessage(Buffer.concat([uuidBytes(namespace), Buffer.from(name, 'utf8')]));
}
