import { randomUUID } from 'node:crypto';

const HEX32 = /^[0-9a-f]{32}$/;

/**
 * An ExternalId as statements carry it: lowercase 8-4-4-4-12. edx-platform's UUIDField is stored
 * on MySQL as char(32) without hyphens (Django < 5 and every migrated table); MariaDB's native
 * `uuid` type (Django ≥ 5 on new tables) returns the hyphenated form. Both are accepted.
 * Returns undefined for anything that is not a UUID.
 */
export function formatExternalId(stored: string): string | undefined {
  const hex = stored.trim().replace(/-/g, '').toLowerCase();
  if (!HEX32.test(hex)) return undefined;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A new anonymous id with edx-platform's semantics (ExternalId's default is `uuid.uuid4`). */
export function mintExternalId(): string {
  return randomUUID();
}
