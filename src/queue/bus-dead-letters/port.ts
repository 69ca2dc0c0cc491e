/** A bus message that can never become an event (poison), kept with its raw bytes for inspection. */
export interface BusDeadLetter {
  /** Where it sat on the bus (`BusEvent.sourceId`). */
  sourceId: string;
  /** One of src/sources/event-bus/poison.ts `POISON_REASONS`. */
  reason: string;
  message: string;
  fields: Record<string, string>;
  bytes: Buffer;
}

/**
 * Where the bus consumers keep poison messages. Apart from the inbox: nothing takes them, they
 * wait for an operator. They live in the inbox's database (one file or one PostgreSQL database
 * for the ingest side), in a table of their own.
 */
export interface BusDeadLetterStore {
  /** Resolves once the message is committed: only then does the consumer acknowledge it. */
  add(entry: BusDeadLetter): Promise<void>;
  count(): Promise<number>;
  /** Idempotent. */
  close(): Promise<void>;
}
