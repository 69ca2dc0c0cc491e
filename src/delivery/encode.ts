import { buildCaliperRequest } from './lrs/caliper/request.js';
import { buildFileRequest } from './lrs/file/request.js';
import { buildXapiRequest } from './lrs/xapi/request.js';
import { type DeliveryRouter, isFileUrl } from './router-config.js';
import type { TransportRequest } from './transport.js';

export interface EncodeContext {
  /** Caliper envelope `sensor` (ERB passes LMS_ROOT_URL); override_args may replace it. */
  caliperSensor: string;
  now: Date;
}

/** Turns a batch of outbox payloads into the request for a router's destination. */
export function encodeBatch(router: DeliveryRouter, payloads: readonly unknown[], ctx: EncodeContext): TransportRequest {
  if (isFileUrl(router.url)) return buildFileRequest(router, payloads);
  return router.backend === 'xapi'
    ? buildXapiRequest(router, payloads)
    : buildCaliperRequest(router, payloads, ctx.caliperSensor, ctx.now);
}
