import { JsonTextPayload } from '../queue/json-text-payload.js';
import type { NewQueueItem } from '../queue/port.js';

/**
 * An outbox item as it goes from the pipeline thread to the main thread's outbox: the payload
 * as JSON text, serialised on the pipeline's core. A string is copied between threads far more
 * cheaply than a structured clone of the statement, and the SQLite outbox stores it as it is.
 */
export interface SerialisedItem {
  routerId: string;
  eventId: string;
  eventName?: string;
  businessCritical?: boolean;
  payloadJson: string;
}

/** One JSON.stringify per statement, even when several routers take it. Throws on a payload that is not JSON. */
export function serialiseItems(items: readonly NewQueueItem[]): SerialisedItem[] {
  const texts = new Map<unknown, string>();
  return items.map((item) => {
    let json = item.payloadJson ?? texts.get(item.payload);
    if (json === undefined) {
      json = JSON.stringify(item.payload);
      if (json === undefined) throw new TypeError(`payload of ${item.eventId} is not JSON-serialisable`);
      texts.set(item.payload, json);
    }
    const out: SerialisedItem = { routerId: item.routerId, eventId: item.eventId, payloadJson: json };
    if (item.eventName !== undefined) out.eventName = item.eventName;
    if (item.businessCritical !== undefined) out.businessCritical = item.businessCritical;
    return out;
  });
}

/** Back to queue items; `payload` is parsed only if the outbox adapter reads it (SQLite stores the text). */
export function deserialiseItems(items: readonly SerialisedItem[]): NewQueueItem[] {
  return items.map((item) => new DeserialisedItem(item));
}

/** A queue item from the pipeline thread, its payload parsed only if the outbox adapter reads it. */
class DeserialisedItem extends JsonTextPayload implements NewQueueItem {
  readonly routerId: string;
  readonly eventId: string;
  readonly eventName?: string;
  readonly businessCritical?: boolean;
  readonly payloadJson: string;

  constructor(item: SerialisedItem) {
    super();
    this.routerId = item.routerId;
    this.eventId = item.eventId;
    if (item.eventName !== undefined) this.eventName = item.eventName;
    if (item.businessCritical !== undefined) this.businessCritical = item.businessCritical;
    this.payloadJson = item.payloadJson;
  }
}
