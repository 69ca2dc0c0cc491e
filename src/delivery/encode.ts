import { buildCaliperRequest } from './lrs/caliper/request.js';
import { buildFileRequest } from './lrs/file/request.js';
import { buildXapiRequest } from './lrs/xapi/request.js';
import { JsonPayload } from '../queue/json-payload.js';
import type { EncodablePayload } from './payload-text.js';
import { type DeliveryRouter, isFileUrl } from './router-config.js';
import type { TransportRequest } from './transport.js';

export interface EncodeContext {
  /** Caliper envelope `sensor` (ERB passes LMS_ROOT_URL); override_args may replace it. */
  caliperSensor: string;
  now: Date;
}

/** Turns a batch of outbox payloads into the request for a router's destination. */
export function encodeBatch(router: DeliveryRouter, payloads: readonly unknown[], ctx: EncodeContext): TransportRequest {
  return encodeItems(
    router,
    payloads.map((payload) => ({ payload: JsonPayload.of(payload) })),
    ctx,
  );
}

/** The same for leased items: their stored JSON text goes into the body as it is. */
export function encodeItems(router: DeliveryRouter, items: readonly EncodablePayload[], ctx: EncodeContext): TransportRequest {
  if (isFileUrl(router.url)) return buildFileRequest(router, items);
  return router.backend === 'xapi' ? buildXapiRequest(router, items) : buildCaliperRequest(router, items, ctx.caliperSensor, ctx.now);
}
