import { createHash } from 'node:crypto';

/** RFC 4122 namespace for DNS names; ERB hard-codes it as the root of its statement ids. */
export const NAMESPACE_DNS = '6ba7b810-9dad-11d1-80b4-00c04fd430c8';

/** RFC 4122 version 5 UUID (SHA-1 of namespace bytes + UTF-8 name), lowercase and hyphenated. */
export function uuid5(namespace: string, name: string): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  if (ns.length !== 16) throw new TypeError(`invalid namespace UUID: ${namespace}`);
  const digest = createHash('sha1').update(ns).update(name, 'utf8').digest();
  digest[6] = ((digest[6] as number) & 0x0f) | 0x50;
  digest[8] = ((digest[8] as number) & 0x3f) | 0x80;
  const hex = digest.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
