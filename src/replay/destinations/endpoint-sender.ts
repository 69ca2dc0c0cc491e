import { sendWithBisect } from '../../delivery/bisect.js';
import { classify } from '../../delivery/classify.js';
import { dedupeByEventId } from '../../delivery/dedupe.js';
import type { DeliveryOutcome } from '../../delivery/outcome.js';
import { JsonPayload } from '../../queue/json-payload.js';
import type { RetryPolicy } from '../../delivery/retry-policy.js';
import type { DeliveryRouter } from '../../delivery/router-config.js';
import type { Transport } from '../../delivery/transport.js';
import type { RejectedRecord, ReplayRecord } from '../destination.js';
import { sleep } from '../sleep.js';
import { createRecordRequestBuilder } from './record-request.js';

/** What sending a batch to one endpoint came to. */
export type EndpointOutcome =
  /** `delivered` counts every record taken (a repeat of a statement sent once included). */
  { status: 'accepted'; delivered: number; rejected: RejectedRecord[] } | { status: 'failed'; error: string };

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
 * retried with backoff; a batch refused for one statement (400, 413, 422 …) is split until that
 * statement stands alone, and only it is rejected. As in the service's delivery, identical
 * repeats of a statement are sent once (an LRS refuses a batch with a repeated id), a different
 * statement with an id already in the batch is a `conflict`, and so is a statement answered 409
 * on its own: the LRS holds another statement with its id, and a 409 for a batch means nothing
 * of it was stored (Ralph), so such a batch is split too. A 401, or a batch still failing when
 * the policy gives up, fails the batch.
 */
export function createEndpointSender(options: EndpointSenderOptions): (batch: readonly ReplayRecord[], signal: AbortSignal) => Promise<EndpointOutcome> {
  const { router, transport, policy } = options;
  const requests = createRecordRequestBuilder(router, options.caliperSensor);

  // The service retries through its outbox: a failed batch is settled "retry later" and leased
  // again by the worker. A replay has no outbox and checkpoints a batch only once it is accepted,
  // so it waits for each retry here, with the same classify and retry policy as the worker.
  async function attempt(items: readonly Item[], signal: AbortSignal): Promise<DeliveryOutcome> {
    const started = Date.now();
    for (let failures = 1; ; failures++) {
      const request = requests.build(
        items.map((item) => item.bytes),
        new Date(),
      );
      const outcome = classify(router.backend, await transport.send(request, signal), Date.now());
      if (outcome.status !== 'retryable' || signal.aborted) return outcome;
      const decision = policy(failures, outcome, Date.now() - started);
      if ('giveUp' in decision) return outcome;
      await sleep(decision.retryInMs, signal);
      if (signal.aborted) return outcome;
    }
  }

  return async (batch, signal) => {
    const { unique, repeatsOf, conflicting } = dedupeByEventId(
      // Latin-1 maps bytes to characters one to one: equal texts are equal bytes, whatever the encoding.
      // Only the text is compared; it is never parsed.
      batch.map((record, i) => ({ id: String(i), eventId: record.id, payload: JsonPayload.fromText(record.bytes.toString('latin1')), record })),
    );
    const prepared = requests.prepare(unique.map(({ record }) => record.bytes));
    const items: Item[] = unique.map(({ id, record }, i) => ({ key: id, record, bytes: prepared[i] as Buffer }));
    const groups = await sendWithBisect(items, (part) => attempt(part, signal));
    let delivered = 0;
    const rejected: RejectedRecord[] = conflicting.map(({ record }) => ({ record, reason: 'conflict', error: SAME_BATCH_CONFLICT }));
    for (const { items: group, outcome } of groups) {
      if (outcome.status === 'retryable' || (outcome.status === 'rejected' && outcome.unhealthy)) {
        return { status: 'failed', error: `${options.name}: ${describe(outcome)}${signal.aborted ? ' (interrupted)' : ''}` };
      }
      const records = group.flatMap(({ key, record }) => [record, ...(repeatsOf.get(key) ?? []).map((repeat) => repeat.record)]);
      if (outcome.status === 'rejected') {
        for (const record of records) rejected.push({ record, reason: 'rejected', error: describe(outcome) });
      } else if (outcome.alreadyStored === true) {
        // A 409 for this statement alone (bisect split the batch): the LRS holds a different statement with its id.
        for (const record of records) rejected.push({ record, reason: 'conflict', error: `HTTP 409: the LRS holds another statement with id ${record.id}` });
      } else {
        delivered += records.length;
      }
    }
    return { status: 'accepted', delivered, rejected };
  };
}

/** Why a statement left out by dedupe.ts was not sent. */
const SAME_BATCH_CONFLICT = 'another statement with the same id, but different content, was in the same batch; that one was sent';

interface Item {
  /** The record's place in the batch, as dedupe.ts knows it. */
  key: string;
  record: ReplayRecord;
  /** The record as this endpoint receives it. */
  bytes: Buffer;
}

function describe(outcome: Exclude<DeliveryOutcome, { status: 'delivered' }>): string {
  const body = outcome.response.body?.trim();
  return body ? `${outcome.error}: ${body.length > 300 ? `${body.slice(0, 300)}…` : body}` : outcome.error;
}
