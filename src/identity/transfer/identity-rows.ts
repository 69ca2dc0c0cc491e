import { formatExternalId } from '../../transforms/shared/external-id.js';
import type { StoredIdentity } from '../local-store-port.js';
import { IDENTITY_KINDS } from '../settings.js';

/** The fields of one exported id, in file order; the CSV header and the NDJSON keys. */
export const TRANSFER_FIELDS = ['user_id', 'username', 'kind', 'anonymous_id'] as const;

export type TransferFormat = 'csv' | 'ndjson';

/** A row's fields as written: empty or absent for what the row does not have. */
export interface TransferRow {
  readonly user_id?: number | string | null;
  readonly username?: string | null;
  readonly kind?: unknown;
  readonly anonymous_id?: unknown;
}

export type RowOutcome = { ok: true; row: StoredIdentity } | { ok: false; message: string };

/** Checks and normalises one imported row (the id is formatted 8-4-4-4-12). */
export function toStoredIdentity(input: TransferRow): RowOutcome {
  const rawId = input.user_id;
  let userId: number | undefined;
  if (rawId !== undefined && rawId !== null && rawId !== '') {
    userId = typeof rawId === 'number' ? rawId : /^\d+$/.test(rawId) ? Number(rawId) : NaN;
    if (!Number.isSafeInteger(userId) || userId <= 0) return { ok: false, message: `user_id "${rawId}" is not a positive integer` };
  }
  const username = input.username === null || input.username === '' ? undefined : input.username;
  if (username !== undefined && typeof username !== 'string') return { ok: false, message: 'username must be text' };
  if (userId === undefined && username === undefined) return { ok: false, message: 'a row needs a user_id or a username' };
  const kind = input.kind;
  if (typeof kind !== 'string' || !(IDENTITY_KINDS as readonly string[]).includes(kind)) {
    return { ok: false, message: `kind must be one of ${IDENTITY_KINDS.join(', ')}` };
  }
  const anonymousId = typeof input.anonymous_id === 'string' ? formatExternalId(input.anonymous_id) : undefined;
  if (anonymousId === undefined) return { ok: false, message: 'anonymous_id must be a UUID' };
  return {
    ok: true,
    row: {
      ...(userId !== undefined ? { userId } : {}),
      ...(username !== undefined ? { username } : {}),
      kind: kind as StoredIdentity['kind'],
      anonymousId,
    },
  };
}

/** The format a file name implies: `.csv` → csv, `.ndjson`/`.jsonl`/`.json` → ndjson. */
export function formatFromName(name: string): TransferFormat | undefined {
  if (/\.csv$/i.test(name)) return 'csv';
  if (/\.(ndjson|jsonl|json)$/i.test(name)) return 'ndjson';
  return undefined;
}
