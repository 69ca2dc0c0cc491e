import type { StoredIdentity } from '../local-store-port.js';
import { toStoredIdentity, type RowOutcome } from './identity-rows.js';

/** One NDJSON line: `{"user_id":5,"username":"bob","kind":"xapi","anonymous_id":"…"}` (absent fields null). */
export function ndjsonLine(row: StoredIdentity): string {
  return JSON.stringify({
    user_id: row.userId ?? null,
    username: row.username ?? null,
    kind: row.kind,
    anonymous_id: row.anonymousId,
  });
}

export function parseNdjsonLine(line: string): RowOutcome {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    return { ok: false, message: `not JSON: ${(error as Error).message}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, message: 'not a JSON object' };
  return toStoredIdentity(value);
}
