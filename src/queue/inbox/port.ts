/**
 * How far a followed file has been read (src/sources/follower/): the file's identity (device and
 * inode, as decimal strings: inodes may exceed 2^53) and the byte offset just past the last line
 * stored. Defined here because the inbox stores it, in the transaction of the lines it covers.
 */
export interface ReadPosition {
  /** The followed path as configured (resolved to an absolute path). */
  readonly path: string;
  readonly dev: string;
  readonly ino: string;
  readonly offset: number;
}

/** One accepted event: its JSON text (parsed again by the pipeline) and, from a bus, where it came from. */
export interface InboxInput {
  body: string;
  /** `BusEvent.sourceId`: an event already waiting under the same id is not added again. */
  sourceId?: string;
}

export interface InboxEntry {
  seq: number;
  body: string;
  /** Times the pipeline deferred it. */
  attempts: number;
  /** Epoch ms of acceptance. */
  receivedAt: number;
}

export type AppendOutcome = { ok: true; added: number; duplicates: number } | { ok: false; reason: 'queue_overflow'; depth: number; maxDepth: number };

/** What the pipeline did with the entries it took: delete them, or try them again at `at`. */
export interface InboxCompletion {
  done: readonly number[];
  deferred: ReadonlyArray<{ seq: number; at: number; error: string }>;
}

export interface InboxStats {
  depth: number;
  /** Entries waiting after a deferral (identity unavailable). */
  deferred: number;
  /** Epoch ms of the oldest entry, or null. */
  oldestReceivedAt: number | null;
  /** Epoch ms at which the next deferred entry is due, or null. */
  nextDueAt: number | null;
}

/**
 * The durable inbox between ingest (HTTP, bus, file follower) and the pipeline, beside the outbox
 * (../port.ts) that lies between the pipeline and delivery. `append` resolves only once the events
 * are committed. Processing is at least once: a batch taken and not completed is taken again
 * (after `rewind`, a restart, or on PostgreSQL the end of its lease), and statement ids are
 * deterministic, so a repeat sends the same statements.
 */
export interface EventInbox {
  /**
   * All or nothing; beyond `maxDepth` nothing is added. With `position` (the file follower), the
   * read position is stored in the same transaction, and only when the events are.
   */
  append(inputs: readonly InboxInput[], position?: ReadPosition): Promise<AppendOutcome>;
  /** The file follower's committed read positions (src/sources/follower/). */
  readPositions(): Promise<ReadPosition[]>;
  /**
   * Up to `limit` entries in acceptance order: first deferred entries that are due, then fresh
   * ones. An entry taken is not taken again (by this or another opener) until it is completed,
   * deferred, or given back by `rewind` or `close`.
   */
  take(limit: number): Promise<InboxEntry[]>;
  /** Deletes the done entries and reschedules the deferred ones, in one transaction. */
  complete(completion: InboxCompletion): Promise<void>;
  /**
   * Gives back what this opener took and did not complete (after a failed batch). Does nothing
   * once closed: closing gave everything back already.
   */
  rewind(): Promise<void>;
  /**
   * The stats as last read, answered at once: the readiness probe and the metrics scrape must not
   * wait on the database. Up to date on SQLite and in memory; on PostgreSQL at most a second old.
   */
  stats(): InboxStats;
  /** Reads the stats now, and keeps them for `stats()`. */
  refreshStats(): Promise<InboxStats>;
  /** Gives back what was taken and not completed. Idempotent; afterwards the other calls reject. */
  close(): Promise<void>;
}

/** Entries (of every opener together) beyond which `append` overflows, when not configured. */
export const DEFAULT_INBOX_MAX_DEPTH = 200_000;

export class InboxClosedError extends Error {
  constructor() {
    super('inbox is closed');
  }
}
