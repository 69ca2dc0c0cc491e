/** One input of a replay: a file on disk or an object in S3-compatible storage. */
export interface ReplaySource {
  /** A path or `s3://bucket/key`, as shown to the user and in `--errors` records. */
  readonly name: string;
  /**
   * What checkpoints are keyed by: the name plus what changes when the content does (size and
   * mtime, or the ETag). A changed source is a new source and is replayed from its start.
   */
  readonly identity: string;
  /** Raw (possibly compressed) size in bytes, when known: progress and ETA. */
  readonly size: number | undefined;
  /** The raw bytes from `offset` on (0: the start). Errors may come from the call or while reading. */
  open(offset: number): Promise<AsyncIterable<Buffer>>;
  /** Whether an error while opening or reading may pass (a network drop): then the source is reopened. */
  isTransient(error: unknown): boolean;
}

/** Listing sources came to a list, or to a message for the user. */
export type ListOutcome = { ok: true; sources: ReplaySource[] } | { ok: false; message: string };
