import type { DeadLetterEntry, BusEvent } from '../event-bus/sink.js';
import type { PoisonReason } from '../event-bus/poison.js';
import { decodeTrackingLogBody } from '../event-bus/tracking-log-codec.js';
import { trackingLogToEvent } from '../event-bus/tracking-log-event.js';
import { TRACKING_EVENT_TYPE } from '../event-bus/tracking-log-schema.js';
import type { RawStreamEntry } from './stream-reply.js';

/** One entry decoded: an event for the sink, or a dead letter. */
export type DecodedEntry = { ok: true; item: BusEvent } | { ok: false; dead: DeadLetterEntry };

/** The `sourceId` of a stream entry (stable across redeliveries). */
export function redisSourceId(stream: string, entryId: string): string {
  return `redis:${stream}:${entryId}`;
}

/**
 * Decodes an entry written by edx-event-bus-redis: metadata fields (`type`, `id`, …) as UTF-8
 * text and `event_data`, the schemaless Avro payload, kept as bytes (UTF-8 decoding would corrupt it).
 */
export function decodeStreamEntry(stream: string, raw: RawStreamEntry): DecodedEntry {
  const sourceId = redisSourceId(stream, raw.entryId);
  if (raw.fields === null) {
    return dead(sourceId, Buffer.alloc(0), {}, 'entry_deleted', 'entry was trimmed from the stream before it was acknowledged');
  }
  const fields: Record<string, string> = {};
  let eventData: Buffer | undefined;
  for (let i = 0; i + 1 < raw.fields.length; i += 2) {
    const name = (raw.fields[i] as Buffer).toString('utf8');
    const value = raw.fields[i + 1] as Buffer;
    if (name === 'event_data') eventData = value;
    else fields[name] = value.toString('utf8');
  }
  const bytes = eventData ?? Buffer.alloc(0);
  const type = fields['type'];
  if (type !== TRACKING_EVENT_TYPE) {
    const message = type === undefined ? 'entry has no type field' : `signal type ${type} is not ${TRACKING_EVENT_TYPE}`;
    return dead(sourceId, bytes, fields, 'unsupported_event_type', message);
  }
  if (eventData === undefined) return dead(sourceId, bytes, fields, 'missing_event_data', 'entry has no event_data field');
  const log = decodeTrackingLogBody(eventData);
  if (!log.ok) return dead(sourceId, bytes, fields, log.reason, log.message);
  const event = trackingLogToEvent(log.value);
  if (!event.ok) return dead(sourceId, bytes, fields, event.reason, event.message);
  const messageId = fields['id'];
  return { ok: true, item: messageId ? { event: event.value, sourceId, messageId } : { event: event.value, sourceId } };
}

function dead(sourceId: string, bytes: Buffer, fields: Record<string, string>, reason: PoisonReason, message: string): DecodedEntry {
  return { ok: false, dead: { sourceId, bytes, fields, reason, message } };
}
