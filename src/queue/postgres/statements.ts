/**
 * The SQL of the PostgreSQL outbox. Batches travel as arrays (`unnest`), so an enqueue or a
 * settle of n items is one statement, not n. Each statement has a name so that pg prepares it
 * once per connection.
 *
 * Settling: a row is changed only if this instance's lease on it is still the current one
 * (`lease_token` matches) or no lease on it is valid any more. A settle arriving after the lease
 * expired and another instance leased the row again therefore changes nothing.
 */
const MINE = '(o.lease_token = s.token OR o.lease_until <= $1)';

export const SQL = {
  depths: { name: 'outbox_depths', text: 'SELECT router_id, depth FROM outbox_depth WHERE depth <> 0' },

  /**
   * $1 now; $2 the items as one JSON array of `[router, event id, event name, critical, payload]`.
   * One JSON text instead of one array per column: pg escapes array elements in JavaScript, slowly,
   * while JSON.stringify is native. On the json type `->` returns an element's text exactly as
   * sent, so the payload is stored as JSON.stringify wrote it. Rows go in in item order, so `seq`
   * follows it.
   */
  insert: {
    name: 'outbox_insert',
    text: `INSERT INTO outbox (router_id, event_id, event_name, business_critical, payload, enqueued_at, next_attempt_at)
      SELECT e->>0, e->>1, e->>2, (e->>3)::smallint, (e->4)::text, $1::bigint, $1::bigint
      FROM json_array_elements($2::json) WITH ORDINALITY AS t(e, ord)
      ORDER BY ord
      RETURNING seq`,
  },

  /** $1 router, $2 now, $3 limit, $4 lease until, $5 token. SKIP LOCKED: concurrent leasers take disjoint rows. */
  lease: {
    name: 'outbox_lease',
    text: `UPDATE outbox SET lease_until = $4, lease_token = $5
      WHERE seq IN (
        SELECT seq FROM outbox
        WHERE router_id = $1 AND next_attempt_at <= $2 AND lease_until <= $2
        ORDER BY seq LIMIT $3
        FOR UPDATE SKIP LOCKED)
      RETURNING seq, router_id, event_id, event_name, business_critical, payload, enqueued_at, attempts,
        next_attempt_at, lease_until, last_error, first_failed_at`,
  },

  pending: {
    name: 'outbox_pending',
    text: `SELECT count(*)::int AS ready, min(enqueued_at) AS oldest, coalesce(bool_or(attempts > 0), false) AS retrying
      FROM (SELECT enqueued_at, attempts FROM outbox
        WHERE router_id = $1 AND next_attempt_at <= $2 AND lease_until <= $2
        ORDER BY seq LIMIT $3) AS ready`,
  },

  /** $1 now, $2 seqs, $3 tokens. */
  ack: {
    name: 'outbox_ack',
    text: `DELETE FROM outbox o USING unnest($2::bigint[], $3::text[]) AS s(seq, token)
      WHERE o.seq = s.seq AND ${MINE}`,
  },

  /** $1 now, $2 seqs, $3 tokens, $4 next attempt times, $5 errors. */
  retry: {
    name: 'outbox_retry',
    text: `UPDATE outbox o SET attempts = o.attempts + 1, next_attempt_at = s.at, lease_until = 0, lease_token = NULL,
        last_error = s.error, first_failed_at = COALESCE(o.first_failed_at, $1)
      FROM unnest($2::bigint[], $3::text[], $4::bigint[], $5::text[]) AS s(seq, token, at, error)
      WHERE o.seq = s.seq AND ${MINE}`,
  },

  /** $1 now, $2 seqs, $3 tokens, $4 not-before times. */
  release: {
    name: 'outbox_release',
    text: `UPDATE outbox o SET lease_until = 0, lease_token = NULL, next_attempt_at = GREATEST(o.next_attempt_at, s.at)
      FROM unnest($2::bigint[], $3::text[], $4::bigint[]) AS s(seq, token, at)
      WHERE o.seq = s.seq AND ${MINE}`,
  },

  /** $1 now, $2 seqs, $3 tokens, $4 reasons, $5 responses (JSON text). Moves rows in the order given. */
  dead: {
    name: 'outbox_dead',
    text: `WITH moved AS (
        DELETE FROM outbox o
        USING unnest($2::bigint[], $3::text[], $4::text[], $5::text[]) WITH ORDINALITY AS s(seq, token, reason, response, ord)
        WHERE o.seq = s.seq AND ${MINE}
        RETURNING o.router_id, o.event_id, o.event_name, o.business_critical, o.payload, o.enqueued_at, o.attempts,
          o.last_error, o.first_failed_at, s.reason, s.response, s.ord)
      INSERT INTO dead_letters (router_id, event_id, event_name, business_critical, payload, enqueued_at,
        attempts, last_error, first_failed_at, reason, response, dead_at)
      SELECT router_id, event_id, event_name, business_critical, payload, enqueued_at,
        attempts + 1, last_error, first_failed_at, reason, response, $1::bigint
      FROM moved ORDER BY ord`,
  },

  /** $1 router, $2 now. Leased rows are left to their lease's settle. */
  retryNow: {
    name: 'outbox_retry_now',
    text: `UPDATE outbox SET next_attempt_at = $2
      WHERE router_id = $1 AND next_attempt_at > $2 AND lease_until <= $2`,
  },

  stats: {
    name: 'outbox_stats',
    text: `SELECT router_id, count(*)::int AS depth, (count(*) FILTER (WHERE lease_until > $1))::int AS leased,
        (count(*) FILTER (WHERE attempts > 0))::int AS retrying, min(enqueued_at) AS oldest,
        (count(*) FILTER (WHERE next_attempt_at > $1))::int AS waiting,
        min(next_attempt_at) FILTER (WHERE next_attempt_at > $1) AS next_attempt
      FROM outbox GROUP BY router_id`,
  },
  deadStats: {
    name: 'outbox_dead_stats',
    text: 'SELECT router_id, count(*)::int AS n FROM dead_letters GROUP BY router_id',
  },

  /** $1 router or null, $2 after id, $3 limit. */
  deadList: {
    name: 'outbox_dead_list',
    text: `SELECT * FROM dead_letters WHERE ($1::text IS NULL OR router_id = $1) AND id > $2 ORDER BY id LIMIT $3`,
  },
} as const;

/**
 * The dead letters a selector names: $1 router or null, $2 ids or null, $3 before or null.
 * `FOR UPDATE` when requeueing, so two admins (or instances) cannot move the same letter twice.
 */
export function deadSelection(forUpdate: boolean): string {
  return `SELECT id, router_id FROM dead_letters
    WHERE ($1::text IS NULL OR router_id = $1) AND ($2::bigint[] IS NULL OR id = ANY($2))
      AND ($3::bigint IS NULL OR dead_at < $3)
    ORDER BY id${forUpdate ? ' FOR UPDATE' : ''}`;
}

export const REQUEUE = `INSERT INTO outbox (router_id, event_id, event_name, business_critical, payload, enqueued_at, next_attempt_at)
  SELECT router_id, event_id, event_name, business_critical, payload, $1::bigint, $1::bigint FROM dead_letters
  WHERE id = ANY($2::bigint[]) ORDER BY id`;

export const PURGE = `DELETE FROM dead_letters
  WHERE ($1::text IS NULL OR router_id = $1) AND ($2::bigint[] IS NULL OR id = ANY($2)) AND ($3::bigint IS NULL OR dead_at < $3)`;
