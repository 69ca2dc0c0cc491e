/**
 * Confluent wire format used by edx-event-bus-kafka for keys and values (confluent-kafka-python
 * `AvroSerializer`): byte 0 = magic 0x00, bytes 1–4 = schema id (big-endian uint32), then the
 * Avro binary body.
 */
export type FrameParse = { ok: true; schemaId: number; body: Buffer } | { ok: false; message: string };

const MAGIC = 0;
const HEADER_BYTES = 5;

export function parseConfluentFrame(bytes: Buffer): FrameParse {
  if (bytes.length < HEADER_BYTES) return { ok: false, message: `message is ${bytes.length} bytes, shorter than the 5-byte header` };
  if (bytes[0] !== MAGIC) return { ok: false, message: `magic byte is ${bytes[0]}, expected 0` };
  return { ok: true, schemaId: bytes.readUInt32BE(1), body: bytes.subarray(HEADER_BYTES) };
}

export function confluentFrame(schemaId: number, body: Buffer): Buffer {
  const header = Buffer.alloc(HEADER_BYTES);
  header[0] = MAGIC;
  header.writeUInt32BE(schemaId, 1);
  return Buffer.concat([header, body]);
}
