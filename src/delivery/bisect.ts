import type { DeliveryOutcome } from './outcome.js';

/** A sub-batch and what its last send came to. */
export interface SentGroup<T> {
  items: T[];
  outcome: DeliveryOutcome;
}

export interface BisectOptions {
  /** Split a batch answered "already stored" (xAPI 409) to get its other statements in. Default true. */
  splitConflicts?: boolean;
}

/**
 * Sends a batch; when the LRS refuses the batch as a whole, splits it in halves and sends them
 * again until the refused statement stands alone (architecture §10). xAPI 1.0.3 Communication
 * §2.1.2: an LRS rejects the whole batch if any statement in it is rejected, and answers 409 for
 * the whole batch if one id exists, which would silently drop the others (ERB §4.1).
 *
 * A failure of the destination (retryable, or 401) is not about a statement: sending stops and
 * every group not yet sent gets that same outcome, so an outage costs one request, not 2n.
 * Groups come back in the order of the items.
 */
export async function sendWithBisect<T>(
  items: readonly T[],
  send: (batch: readonly T[]) => Promise<DeliveryOutcome>,
  options: BisectOptions = {},
): Promise<SentGroup<T>[]> {
  const splitConflicts = options.splitConflicts ?? true;
  const groups: SentGroup<T>[] = [];
  let stopped: DeliveryOutcome | null = null;

  const splits = (outcome: DeliveryOutcome): boolean =>
    (outcome.status === 'rejected' && !outcome.unhealthy) || (splitConflicts && outcome.status === 'delivered' && outcome.alreadyStored === true);

  async function run(batch: T[]): Promise<void> {
    if (batch.length === 0) return;
    if (stopped) {
      groups.push({ items: batch, outcome: stopped });
      return;
    }
    const outcome = await send(batch);
    if (batch.length > 1 && splits(outcome)) {
      const middle = Math.ceil(batch.length / 2);
      await run(batch.slice(0, middle));
      await run(batch.slice(middle));
      return;
    }
    if (outcome.status === 'retryable' || (outcome.status === 'rejected' && outcome.unhealthy)) stopped = outcome;
    groups.push({ items: batch, outcome });
  }

  await run([...items]);
  return groups;
}
