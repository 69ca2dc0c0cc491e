import type { DeliveryRouter } from '../../router-config.js';
import type { TransportRequest } from '../../transport.js';
import { applyStatementOverrides } from '../xapi/request.js';

/**
 * A `file://` route: one JSON line per statement (xAPI, with override_args) or per bare
 * Caliper event (an envelope per line would repeat the sensor on every line).
 */
export function buildFileRequest(router: DeliveryRouter, payloads: readonly unknown[]): TransportRequest {
  const lines = payloads.map((p) => JSON.stringify(router.backend === 'xapi' ? applyStatementOverrides(p, router) : p));
  return { url: router.url, headers: {}, body: '', lines };
}
