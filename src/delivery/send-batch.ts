import type { LeasedItem } from '../queue/port.js';
import { classify } from './classify.js';
import { encodeItems } from './encode.js';
import type { DeliveryObserver } from './observer.js';
import type { DeliveryOutcome } from './outcome.js';
import type { DeliveryRouter } from './router-config.js';
import type { Transport } from './transport.js';

export interface SendContext {
  caliperSensor: string;
  observer: DeliveryObserver;
  now: () => number;
  /** Aborted at shutdown. */
  signal: AbortSignal;
}

/** One attempt: encode the batch for the router, send it, classify the answer, report both. */
export async function sendBatch(router: DeliveryRouter, transport: Transport, batch: readonly LeasedItem[], ctx: SendContext): Promise<DeliveryOutcome> {
  const { observer, now } = ctx;
  const request = encodeItems(router, batch, { caliperSensor: ctx.caliperSensor, now: new Date(now()) });
  const bytes = request.lines ? request.lines.reduce((n, l) => n + Buffer.byteLength(l) + 1, 0) : Buffer.byteLength(request.body);
  observer.record({ type: 'request', routerId: router.id, statements: batch.length, bytes });
  const result = await transport.send(request, ctx.signal);
  const outcome = classify(router.backend, result, now());
  observer.record({
    type: 'response',
    routerId: router.id,
    statements: batch.length,
    status: outcome.status,
    durationMs: result.durationMs,
    ...(result.kind === 'response' ? { statusCode: result.statusCode } : { errorCode: result.code }),
  });
  return outcome;
}
