import { caliperEnvelope } from '../../delivery/lrs/caliper/request.js';
import { applyStatementOverrides, statementsUrl, XAPI_VERSION } from '../../delivery/lrs/xapi/request.js';
import { buildHeaders } from '../../delivery/headers.js';
import { isFileUrl, type DeliveryRouter } from '../../delivery/router-config.js';
import type { TransportRequest } from '../../delivery/transport.js';

const OPEN = Buffer.from('[');
const COMMA = Buffer.from(',');
const CLOSE = Buffer.from(']');
/** Stands for the records in a stringified Caliper envelope; no JSON text of ours contains it. */
const DATA_PLACEHOLDER = '\u0000replay-records\u0000';

/**
 * The request for one batch of already encoded records to one router, as `encodeBatch` in
 * src/delivery builds it from objects (same URL, headers, override_args and envelope), but joining
 * the records' UTF-8 bytes instead of stringifying objects again.
 */
export function createRecordRequestBuilder(
  router: DeliveryRouter,
  caliperSensor: string,
): {
  /** The records as this router receives them (override_args applied to xAPI statements). */
  prepare(records: readonly Buffer[]): Buffer[];
  build(records: readonly Buffer[], now: Date): TransportRequest;
} {
  const xapi = router.backend === 'xapi';
  const file = isFileUrl(router.url);
  const url = file || !xapi ? router.url : statementsUrl(router.url);
  const headers = file
    ? {}
    : buildHeaders(
        router.headers,
        router.auth,
        xapi ? { 'X-Experience-API-Version': XAPI_VERSION, 'Content-Type': 'application/json' } : { 'Content-Type': 'application/json' },
      );
  // Statement overrides need the statement as an object: parsed once per record and router.
  const overrides = xapi && router.overrideArgs !== undefined;

  return {
    prepare(records) {
      if (!overrides) return records as Buffer[];
      return records.map((bytes) => Buffer.from(JSON.stringify(applyStatementOverrides(JSON.parse(bytes.toString('utf8')), router)), 'utf8'));
    },
    build(records, now) {
      if (file) return { url, headers, body: '', lines: records.map((bytes) => bytes.toString('utf8')) };
      const parts: Buffer[] = [OPEN];
      records.forEach((bytes, i) => parts.push(...(i === 0 ? [bytes] : [COMMA, bytes])));
      parts.push(CLOSE);
      if (xapi) return { url, headers, body: Buffer.concat(parts) };
      // Caliper: one envelope per batch with override_args at its root, keys in caliperEnvelope's order.
      const envelope = caliperEnvelope(router, [], caliperSensor, now);
      const text = JSON.stringify({ ...envelope, ...(Array.isArray(envelope['data']) ? { data: DATA_PLACEHOLDER } : {}) });
      const at = text.indexOf(JSON.stringify(DATA_PLACEHOLDER));
      // override_args replaced `data` itself: the envelope goes as configured, as serve sends it.
      if (at < 0) return { url, headers, body: text };
      const before = Buffer.from(text.slice(0, at));
      const after = Buffer.from(text.slice(at + JSON.stringify(DATA_PLACEHOLDER).length));
      return { url, headers, body: Buffer.concat([before, ...parts, after]) };
    },
  };
}
