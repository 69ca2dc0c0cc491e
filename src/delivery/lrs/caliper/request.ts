import { CALIPER_DATA_VERSION } from '../../../transforms/caliper/envelope.js';
import { buildHeaders } from '../../headers.js';
import { type EncodablePayload, jsonArrayText } from '../../payload-text.js';
import type { DeliveryRouter } from '../../router-config.js';
import type { TransportRequest } from '../../transport.js';

/**
 * One envelope per request holding the whole batch (Caliper 1.2 §4.1; ERB sends an array of
 * one-event envelopes instead, §4.2). override_args land on the envelope root (ERB §3.4).
 */
export function caliperEnvelope(router: DeliveryRouter, events: readonly unknown[], sensor: string, sendTime: Date): Record<string, unknown> {
  const envelope = { sensor, sendTime: sendTime.toISOString(), dataVersion: CALIPER_DATA_VERSION, data: events };
  return router.overrideArgs ? { ...envelope, ...router.overrideArgs } : envelope;
}

/**
 * POST to the route URL exactly as configured (ERB §4.2). Without override_args the envelope is
 * written around the stored JSON texts of the events, keys in caliperEnvelope's order.
 */
export function buildCaliperRequest(router: DeliveryRouter, events: readonly EncodablePayload[], sensor: string, sendTime: Date): TransportRequest {
  const body = router.overrideArgs
    ? JSON.stringify(
        caliperEnvelope(
          router,
          events.map((e) => e.payload.value()),
          sensor,
          sendTime,
        ),
      )
    : `${JSON.stringify(caliperEnvelope(router, [], sensor, sendTime)).slice(0, -'[]}'.length)}${jsonArrayText(events)}}`;
  return { url: router.url, headers: buildHeaders(router.headers, router.auth, { 'Content-Type': 'application/json' }), body };
}
