import type { IHeaders } from 'kafkajs';

/** Kafka headers as text (UTF-8); a header sent several times keeps all its values. */
export function headerValues(headers: IHeaders | undefined): Map<string, string[]> {
  const out = new Map<string, string[]>();
  if (!headers) return out;
  for (const [name, raw] of Object.entries(headers)) {
    if (raw === undefined) continue;
    const list = Array.isArray(raw) ? raw : [raw];
    out.set(
      name,
      list.map((value) => (Buffer.isBuffer(value) ? value.toString('utf8') : String(value))),
    );
  }
  return out;
}

/** Headers flattened for a dead-letter record (repeated values joined with a comma). */
export function headerFields(values: Map<string, string[]>): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [name, list] of values) fields[name] = list.join(',');
  return fields;
}

/**
 * The openedx-events metadata headers edx-event-bus-kafka writes (`_get_headers_from_metadata`):
 * `ce_type, ce_id, ce_source, ce_specversion, ce_time, ce_minorversion, sourcehost, sourcelib,
 * content-type, ce_datacontenttype`.
 */
export const HEADER = {
  type: 'ce_type',
  id: 'ce_id',
  source: 'ce_source',
  specversion: 'ce_specversion',
  time: 'ce_time',
  minorversion: 'ce_minorversion',
  sourcehost: 'sourcehost',
  sourcelib: 'sourcelib',
  contentType: 'content-type',
  dataContentType: 'ce_datacontenttype',
} as const;
