import { JsonPayload } from '../queue/json-payload.js';
import type { NewQueueItem } from '../queue/port.js';

/**
 * An outbox item as it goes from the pipeline thread to the main thread's outbox: the payload
 * as its JSON text, made on the pipeline's core. A string is copied between threads far more
 * cheaply than a structured clone of the statement, and the SQLite outbox stores it as it is.
 */
export interface SerialisedItem {
  routerId: string;
  eventId: string;
  eventName?: string;
  businessCritical?: boolean;
  payloadJson: string;
}

export function serialiseItems(items: readonly NewQueueItem[]): SerialisedItem[] {
  return items.map((item) => {
    const out: SerialisedItem = { routerId: item.routerId, eventId: item.eventId, payloadJson: item.payload.text };
    if (item.eventName !== undefined) out.eventName = item.eventName;
    if (item.businessCritical !== undefined) out.businessCritical = item.businessCritical;
    return out;
  });
}

/** Back to queue items, the text unparsed. */
export function deserialiseItems(items: readonly SerialisedItem[]): NewQueueItem[] {
  return items.map((item) => {
    const out: NewQueueItem = { routerId: item.routerId, eventId: item.eventId, payload: JsonPayload.fromText(item.payloadJson) };
    if (item.eventName !== undefined) out.eventName = item.eventName;
    if (item.businessCritical !== undefined) out.businessCritical = item.businessCritical;
    return out;
  });
}
