import type { EncodablePayload } from '../../payload-text.js';
import type { DeliveryRouter } from '../../router-config.js';
import type { TransportRequest } from '../../transport.js';
import { applyStatementOverrides } from '../xapi/request.js';

/**
 * A `file://` route: one JSON line per statement (xAPI, with override_args) or per bare
 * Caliper event (an envelope per line would repeat the sensor on every line).
 */
export function buildFileRequest(router: DeliveryRouter, payloads: readonly EncodablePayload[]): TransportRequest {
  const overrides = router.backend === 'xapi' && router.overrideArgs !== undefined;
  const lines = payloads.map((p) => (overrides ? JSON.stringify(applyStatementOverrides(p.payload.value(), router)) : p.payload.text));
  return { url: router.url, headers: {}, body: '', lines };
}
