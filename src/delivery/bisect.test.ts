import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sendWithBisect } from './bisect.js';
import type { DeliveryOutcome } from './outcome.js';

const ok: DeliveryOutcome = { status: 'delivered', statusCode: 200 };
const bad: DeliveryOutcome = { status: 'rejected', error: 'HTTP 400', response: { statusCode: 400 } };
const down: DeliveryOutcome = { status: 'retryable', error: 'HTTP 503', response: { statusCode: 503 } };
const unauthorized: DeliveryOutcome = { status: 'rejected', error: 'HTTP 401', unhealthy: true, response: { statusCode: 401 } };
const conflict: DeliveryOutcome = { status: 'delivered', statusCode: 409, alreadyStored: true };

/** An LRS that refuses any batch holding one of `poison`, recording each batch sent. */
function lrs(poison: number[], refusal: DeliveryOutcome = bad) {
  const sent: number[][] = [];
  const send = async (batch: readonly number[]): Promise<DeliveryOutcome> => {
    sent.push([...batch]);
    return batch.some((n) => poison.includes(n)) ? refusal : ok;
  };
  return { sent, send };
}

describe('bisect a refused batch', () => {
  it('sends a good batch once', async () => {
    const { sent, send } = lrs([]);
    const groups = await sendWithBisect([1, 2, 3], send);
    assert.deepEqual(sent, [[1, 2, 3]]);
    assert.deepEqual(groups, [{ items: [1, 2, 3], outcome: ok }]);
  });

  it('isolates one bad statement and delivers the rest', async () => {
    const { sent, send } = lrs([6]);
    const groups = await sendWithBisect([1, 2, 3, 4, 5, 6, 7, 8], send);
    assert.deepEqual(
      groups.map((g) => [g.items, g.outcome.status]),
      [
        [[1, 2, 3, 4], 'delivered'],
        [[5], 'delivered'],
        [[6], 'rejected'],
        [[7, 8], 'delivered'],
      ],
    );
    assert.equal(sent.length, 7);
  });

  it('isolates several bad statements', async () => {
    const { send } = lrs([1, 5]);
    const groups = await sendWithBisect([1, 2, 3, 4, 5], send);
    const rejected = groups.filter((g) => g.outcome.status === 'rejected').flatMap((g) => g.items);
    const delivered = groups.filter((g) => g.outcome.status === 'delivered').flatMap((g) => g.items);
    assert.deepEqual(rejected, [1, 5]);
    assert.deepEqual(delivered, [2, 3, 4]);
  });

  it('stops at a retryable failure and gives the unsent groups the same outcome', async () => {
    let calls = 0;
    const groups = await sendWithBisect([1, 2, 3, 4], async (batch) => {
      calls += 1;
      if (calls === 1) return bad;
      return batch.includes(1) ? down : ok;
    });
    assert.equal(calls, 2);
    assert.deepEqual(groups, [
      { items: [1, 2], outcome: down },
      { items: [3, 4], outcome: down },
    ]);
  });

  it('does not split on 401: the credentials are wrong for all', async () => {
    const { sent, send } = lrs([1, 2, 3], unauthorized);
    const groups = await sendWithBisect([1, 2, 3], send);
    assert.equal(sent.length, 1);
    assert.deepEqual(groups, [{ items: [1, 2, 3], outcome: unauthorized }]);
  });

  it('splits an xAPI 409 so the statements not yet stored get in', async () => {
    const { sent, send } = lrs([3], conflict);
    const groups = await sendWithBisect([1, 2, 3, 4], send);
    assert.deepEqual(
      groups.map((g) => g.items),
      [[1, 2], [3], [4]],
    );
    assert.ok(groups.every((g) => g.outcome.status === 'delivered'));
    assert.equal(sent.length, 5);
  });

  it('can treat a 409 for the whole batch as delivered (ERB)', async () => {
    const { sent, send } = lrs([3], conflict);
    await sendWithBisect([1, 2, 3, 4], send, { splitConflicts: false });
    assert.equal(sent.length, 1);
  });
});
