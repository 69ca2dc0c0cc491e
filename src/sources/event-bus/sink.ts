import type { OpenEdxEvent } from '../../core/event.js';
import type { PoisonReason } from './poison.js';

/** One decoded bus message handed to the pipeline. */
export interface BusEvent {
  /** The normalised Open edX event (timestamp text exactly as sent: statement ids hash it). */
  event: OpenEdxEvent;
  /**
   * Where the message sits on the bus, stable across redeliveries and unique per message:
   * `redis:<stream>:<entry id>` or `kafka:<topic>:<partition>:<offset>`. Use it to deduplicate.
   */
  sourceId: string;
  /** The producer's message id (`id` field / `ce_id` header, a uuid1), when present. */
  messageId?: string;
}

/**
 * Where the bus consumers put events. The consumer acknowledges upstream (XACK / offset commit)
 * only after `accept` resolved, so `accept` must resolve only once the events are durably stored.
 * A rejection leaves the messages unacknowledged: they are delivered again later (at least once).
 */
export interface DurableEventSink {
  accept(events: BusEvent[]): Promise<void>;
}

/** A bus message that can never become an event, kept with its raw bytes for inspection. */
export interface DeadLetterEntry {
  /** Same format as `BusEvent.sourceId`. */
  sourceId: string;
  /** The payload as received: Redis `event_data`, or the Kafka message value (empty when absent). */
  bytes: Buffer;
  /** The other fields as text: Redis entry fields, or Kafka headers plus `key` (hex) when set. */
  fields: Record<string, string>;
  reason: PoisonReason;
  /** Human-readable detail (decoder error, the unexpected type, …). */
  message: string;
}

/**
 * Stores a poison message. The message is acknowledged only after this resolves; a rejection is
 * treated like a sink failure (nothing acknowledged, retried later).
 */
export type DeadLetterHandler = (entry: DeadLetterEntry) => Promise<void>;
