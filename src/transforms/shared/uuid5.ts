import { hash } from 'node:crypto';

/** RFC 4122 namespace for DNS names; ERB hard-codes it as the root of its statement ids. */
export const NAMESPACE_DNS = '6ba7b810-9dad-11d1-80b4-00c04fd430c8';

/** The 16 bytes of a UUID given as text. */
export function uuidBytes(uuid: string): Buffer {
  const bytes = Buffer.from(uuid.replace(/-/g, ''), 'hex');
  if (bytes.length !== 16) throw new TypeError(`invalid namespace UUID: ${uuid}`);
  return bytes;
}

/** RFC 4122 version 5 UUID as its 16 bytes. */
export function uuid5Bytes(namespace: Buffer, name: string): Buffer {
  // Namespace and name written into one buffer, hashed in one shot: much cheaper than a Hash
  // object (or an extra buffer and copy) per id, and ids are made per statement.
  const input = Buffer.allocUnsafe(namespace.length + Buffer.byteLength(name, 'utf8'));
  namespace.copy(input, 0);
  input.write(name, namespace.length, 'utf8');
  const digest = hash('sha1', input, 'buffer') as unknown as Buffer;
  digest[6] = ((digest[6] as number) & 0x0f) | 0x50;
  digest[8] = ((digest[8] as number) & 0x3f) | 0x80;
  return digest.subarray(0, 16);
}

/** Lowercase hyphenated text of 16 UUID bytes. */
export function formatUuid(bytes: Buffer): string {
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** RFC 4122 version 5 UUID (SHA-1 of namespace bytes + UTF-8 name), lowercase and hyphenated. */
export function uuid5(namespace: string, name: string): string {
  return formatUuid(uuid5Bytes(uuidBytes(namespace), name));
}
