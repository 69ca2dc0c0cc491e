import type { BusObserver } from './observer.js';
import type { DeadLetterHandler, DurableEventSink } from './sink.js';

/**
 * A long-lived bus consumer (Redis Streams or Kafka). The composition root owns its lifecycle:
 * `start()` once, `stop()` on shutdown (idempotent).
 */
export interface BusConsumer {
  /**
   * Starts consuming in the background and resolves at once: a bus that is down is retried
   * (reported through the observer), it does not fail start-up.
   */
  start(): Promise<void>;
  /** Resolves when the consumer first reached the bus and joined its group (or was stopped). */
  whenReady(): Promise<void>;
  /**
   * Stops reading, lets the batch in hand finish (sink + acknowledgement) up to the configured
   * timeout, then disconnects. Unacknowledged messages are redelivered on the next start.
   */
  stop(): Promise<void>;
}

/** What every bus consumer is given by the composition root. */
export interface BusConsumerDeps {
  sink: DurableEventSink;
  deadLetter: DeadLetterHandler;
  observer?: BusObserver;
}
