import type avro from 'avsc';
import type { DecodeOutcome } from './poison.js';
import { trackingLogType, type TrackingLogData, type TrackingLogPayload } from './tracking-log-schema.js';

/** The Avro binary body of the signal payload (schemaless: no magic byte, no schema id). */
export function encodeTrackingLogBody(log: TrackingLogData): Buffer {
  const payload: TrackingLogPayload = {
    tracking_log: { name: log.name, timestamp: log.timestamp, data: log.data, context: log.context },
  };
  return trackingLogType().toBuffer(payload);
}

/**
 * Decodes a payload body. Without `resolver` the bytes must be written with our schema (Redis:
 * edx-platform writes schemaless Avro with the same schema); with one (Kafka), they are read with
 * the writer schema named by the message and resolved to ours. Trailing bytes are an error.
 */
export function decodeTrackingLogBody(bytes: Buffer, resolver?: avro.Resolver): DecodeOutcome<TrackingLogData> {
  let payload: unknown;
  try {
    payload = resolver ? trackingLogType().fromBuffer(bytes, resolver) : trackingLogType().fromBuffer(bytes);
  } catch (error) {
    return { ok: false, reason: 'malformed_avro', message: (error as Error).message };
  }
  const log = (payload as Partial<TrackingLogPayload> | undefined)?.tracking_log;
  if (!log || typeof log.name !== 'string') {
    return { ok: false, reason: 'malformed_avro', message: 'payload has no tracking_log record' };
  }
  return { ok: true, value: { name: log.name, timestamp: log.timestamp, data: log.data, context: log.context } };
}
