import { sendWithBisect } from '../../delivery/bisect.js';
import { classify } from '../../delivery/classify.js';
import type { DeliveryOutcome } from '../../delivery/outcome.js';
import type { RetryPolicy } from '../../delivery/retry-policy.js';
import type { DeliveryRouter } from '../../delivery/router-config.js';
import type { Transport } from '../../delivery/transport.js';
import type { RejectedRecord, ReplayRecord } from '../destination.js';
import { sleep } from '../sleep.js';
import { createRecordRequestBuilder } from './record-request.js';

/** What sending a batch to one endpoint came to. */
export type EndpointOutcome =
  /** `delivered` counts every record taken, `alreadyStored` among them those the LRS already held (409). */
  | { status: 'accepted'; delivered: number; alreadyStored: ReplayRecord[]; rejected: RejectedRecord[] }
  | { status: 'failed'; error: string };

export interface EndpointSenderOptions {
  router: DeliveryRouter;
  transport: Transport;
  policy: RetryPolicy;
  caliperSensor: string;
  /** How the endpoint is named in messages (no credentials). */
  name: string;
}

/**
 * Sends replay batches to one LRS, Caliper endpoint or file route with the delivery stage's
 * pieces: transport, classify, retry policy and bisect. 5xx, 408, 429 and connection errors are
 * retried with backoff; a 409 counts as stored (ids are deterministic); a batch refused for one
 * statement (400, 413, 422 …) is split until that statement stands alone, and only it is
 * rejected. A 401, or a batch still failing when the policy gives up, fails the batch.
 */
export function createEndpointSender(options: EndpointSenderOptions): (batch: readonly ReplayRecord[], signal: AbortSignal) => Promise<EndpointOutcome> {
  const { router, transport, policy } = options;
  const requests = createRecordRequestBuilder(router, options.caliperSensor);

  async function attempt(items: readonly Item[], signal: AbortSignal): Promise<DeliveryOutcome> {
    const started = Date.now();
    for (let failures = 1; ; failures++) {
      const request = requests.build(items.map((item) => item.bytes), new Date());
      const outcome = classify(router.backend, await transport.send(request, signal), Date.now());
      if (outcome.status !== 'retryable' || signal.aborted) return outcome;
      const decision = policy(failures, outcome, Date.now() - started);
      if ('giveUp' in decision) return outcome;
      await sleep(decision.retryInMs, signal);
      if (signal.aborted) return outcome;
    }
  }

  return async (batch, signal) => {
    const prepared = requests.prepare(batch.map((record) => record.bytes));
    const items: Item[] = batch.map((record, i) => ({ record, bytes: prepared[i] as Buffer }));
    const groups = await sendWithBisect(items, (part) => attempt(part, signal));
    let delivered = 0;
    const alreadyStored: ReplayRecord[] = [];
    const rejected: RejectedRecord[] = [];
    for (const { items: group, outcome } of groups) {
      if (outcome.status === 'retryable' || (outcome.status === 'rejected' && outcome.unhealthy)) {
        return { status: 'failed', error: `${options.name}: ${describe(outcome)}${signal.aborted ? ' (interrupted)' : ''}` };
      }
      if (outcome.status === 'rejected') {
        for (const { record } of group) rejected.push({ record, error: describe(outcome) });
      } else {
        delivered += group.length;
        if (outcome.alreadyStored) for (const { record } of group) alreadyStored.push(record);
      }
    }
    return { status: 'accepted', delivered, alreadyStored, rejected };
  };
}

interface Item {
  record: ReplayRecord;
  /** The record as this endpoint receives it. */
  bytes: Buffer;
}

function describe(outcome: Exclude<DeliveryOutcome, { status: 'delivered' }>): string {
  const body = outcome.response.body?.trim();
  return body ? `${outcome.error}: ${body.length > 300 ? `${body.slice(0, 300)}…` : body}` : outcome.error;
}
