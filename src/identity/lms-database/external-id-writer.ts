import { formatExternalId, mintExternalId } from '../../transforms/shared/external-id.js';
import type { LmsDatabaseOptions } from '../settings.js';
import { createLmsPool, placeholders } from './lms-database.js';

/** One learner's missing id: the user (auth_user.id) and the ExternalIdType name (`xapi`, `caliper`, or `lti` on old platforms). */
export interface ExternalIdRequest {
  readonly userId: number;
  readonly type: string;
}

export type ExternalIdsCreated =
  /** `ids`: `${userId}:${type}` → the id now in the LMS (8-4-4-4-12), whoever created it. */
  | { readonly ok: true; readonly ids: ReadonlyMap<string, string>; readonly created: ReadonlyMap<string, number> }
  | { readonly ok: false; readonly reason: string };

/**
 * Creates ExternalIds in the LMS as edx-platform's `ExternalId.add_new_user_id` does (ERB calls
 * it through `get_or_create` the first time it sends a learner): a uuid4, stored as Django stores
 * a UUIDField on MySQL (32 hex digits), with `created` and `modified` in UTC.
 *
 * Race-safe across instances and with the LMS itself: the table's unique key
 * (`user_id`, `external_id_type_id`) decides. The insert is `INSERT IGNORE`, which leaves an
 * existing row as it is (`ON DUPLICATE KEY UPDATE` would need the UPDATE privilege too), and the
 * ids are then read back, so every writer ends with the row that won. A row IGNORE skipped for
 * another reason (the user deleted meanwhile) is simply not found: that learner stays without an
 * id, as one of a type the LMS lacks (never created: edx-platform does not either).
 *
 * Its own small pool: the reading pool's sessions are read-only. The account needs INSERT on
 * `external_user_ids_externalid` (and SELECT on the two tables).
 */
export interface ExternalIdWriter {
  getOrCreate(requests: readonly ExternalIdRequest[]): Promise<ExternalIdsCreated>;
  close(): Promise<void>;
}

export const externalIdKey = (userId: number, type: string): string => `${userId}:${type}`;

export function createExternalIdWriter(options: LmsDatabaseOptions, mint: () => string = mintExternalId): ExternalIdWriter {
  const pool = createLmsPool(options, 2);
  const timeout = options.queryTimeoutMs ?? 10_000;
  let closing: Promise<void> | undefined;
  let typeIds: Promise<Map<string, number>> | undefined;

  const readTypes = (): Promise<Map<string, number>> => {
    typeIds ??= pool
      .query({ sql: "SELECT id, name FROM external_user_ids_externalidtype WHERE name IN ('xapi', 'caliper', 'lti')", timeout })
      .then(([rows]) => new Map((rows as Array<{ id: number; name: string }>).map((row) => [row.name, Number(row.id)])))
      .catch((error: unknown) => {
        typeIds = undefined;
        throw error;
      });
    return typeIds;
  };

  return {
    async getOrCreate(requests) {
      if (requests.length === 0) return { ok: true, ids: new Map(), created: new Map() };
      try {
        const types = await readTypes();
        const created = new Map<string, number>();
        const byType = new Map<string, number[]>();
        for (const request of requests) {
          if (!types.has(request.type)) continue;
          const users = byType.get(request.type) ?? [];
          if (!users.includes(request.userId)) users.push(request.userId);
          byType.set(request.type, users);
        }
        const ids = new Map<string, string>();
        for (const [type, users] of byType) {
          const typeId = types.get(type) as number;
          const minted = new Map(users.map((userId) => [userId, mint().replace(/-/g, '')]));
          // Rows in key order, so that two writers lock them in the same order.
          users.sort((a, b) => a - b);
          const values = users.flatMap((userId) => [minted.get(userId), typeId, userId]);
          await withDeadlockRetry(() =>
            pool.query(
              {
                sql:
                  'INSERT IGNORE INTO external_user_ids_externalid (created, modified, external_user_id, external_id_type_id, user_id) VALUES ' +
                  users.map(() => '(UTC_TIMESTAMP(6), UTC_TIMESTAMP(6), ?, ?, ?)').join(', '),
                timeout,
              },
              values,
            ),
          );
          const [rows] = await pool.query(
            {
              sql: `SELECT user_id, external_user_id FROM external_user_ids_externalid WHERE external_id_type_id = ? AND user_id IN (${placeholders(users.length)})`,
              timeout,
            },
            [typeId, ...users],
          );
          let ours = 0;
          for (const row of rows as Array<{ user_id: number; external_user_id: string }>) {
            const stored = String(row.external_user_id);
            // The row that won is ours when it holds the id minted here.
            if (stored.replace(/-/g, '').toLowerCase() === minted.get(Number(row.user_id))) ours += 1;
            const formatted = formatExternalId(stored);
            if (formatted !== undefined) ids.set(externalIdKey(Number(row.user_id), type), formatted);
          }
          created.set(type, ours);
        }
        return { ok: true, ids, created };
      } catch (error) {
        return { ok: false, reason: error instanceof Error ? error.message : String(error) };
      }
    },
    close() {
      closing ??= pool.end().catch(() => undefined);
      return closing;
    },
  };
}

/** InnoDB's answers to two writers inserting the same keys at once: the statement may simply be run again. */
const RETRYABLE_LOCK_ERRORS = new Set(['ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT']);
const LOCK_ATTEMPTS = 5;

/**
 * Runs `statement` again when InnoDB picked it as a deadlock victim (or its lock wait ran out):
 * concurrent `INSERT IGNORE`s of the same unique keys by two instances (or the LMS) can deadlock
 * on the gap locks, and MySQL's advice is to restart the transaction.
 */
async function withDeadlockRetry<T>(statement: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await statement();
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (attempt >= LOCK_ATTEMPTS || typeof code !== 'string' || !RETRYABLE_LOCK_ERRORS.has(code)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10 * attempt + Math.random() * 20));
    }
  }
}
