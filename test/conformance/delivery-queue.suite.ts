import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { JsonPayload } from '../../src/queue/json-payload.js';
import type { DeliveryQueue, NewQueueItem, QueueLimits } from '../../src/queue/port.js';

/** What an adapter's test file gives the suite: a fresh queue on a clock the suite controls. */
export interface QueueHarness {
  queue: DeliveryQueue;
  cleanup(): Promise<void>;
}

export type QueueFactory = (options: QueueLimits & { now: () => number }) => Promise<QueueHarness> | QueueHarness;

const LEASE_MS = 30_000;

function item(routerId: string, n: number, extra: Partial<NewQueueItem> = {}): NewQueueItem {
  return { routerId, eventId: `${routerId}-${n}`, eventName: 'edx.test', payload: JsonPayload.of({ id: `${routerId}-${n}`, n }), ...extra };
}

function items(routerId: string, count: number): NewQueueItem[] {
  return Array.from({ length: count }, (_, i) => item(routerId, i + 1));
}

async function enqueueOk(queue: DeliveryQueue, list: NewQueueItem[]): Promise<string[]> {
  const outcome = await queue.enqueue(list);
  assert.ok(outcome.ok, 'enqueue overflowed');
  return outcome.ids;
}

/**
 * The behaviour every DeliveryQueue adapter must share (architecture §11). Each adapter's
 * test file calls this once with its factory.
 */
export function runDeliveryQueueSuite(adapter: string, factory: QueueFactory): void {
  describe(`DeliveryQueue conformance: ${adapter}`, () => {
    let clock = 0;
    let harness: QueueHarness;
    let queue: DeliveryQueue;
    const open = async (limits: QueueLimits = {}): Promise<void> => {
      harness = await factory({ ...limits, now: () => clock });
      queue = harness.queue;
    };
    beforeEach(async () => {
      clock = 1_700_000_000_000;
      await open();
    });
    afterEach(async () => {
      await harness.cleanup();
    });

    it('C01 leases a router’s items oldest first, up to the limit, with their metadata', async () => {
      await enqueueOk(queue, [...items('a', 3), item('b', 1)]);
      await enqueueOk(queue, [item('a', 4, { businessCritical: true, eventName: 'edx.grade' })]);
      const first = await queue.lease('a', 2, LEASE_MS);
      assert.deepEqual(
        first.map((i) => i.eventId),
        ['a-1', 'a-2'],
      );
      const [one] = first;
      assert.ok(one);
      assert.deepEqual(one.payload.value(), { id: 'a-1', n: 1 });
      assert.equal(one.routerId, 'a');
      assert.equal(one.eventName, 'edx.test');
      assert.equal(one.attempts, 0);
      assert.equal(one.enqueuedAt, clock);
      assert.equal(one.firstFailedAt, null);
      assert.equal(one.lastError, null);
      assert.equal(one.leaseUntil, clock + LEASE_MS);
      const rest = await queue.lease('a', 10, LEASE_MS);
      assert.deepEqual(
        rest.map((i) => i.eventId),
        ['a-3', 'a-4'],
      );
      assert.equal(rest[1]?.businessCritical, true);
      assert.equal(rest[1]?.eventName, 'edx.grade');
      assert.deepEqual(
        (await queue.lease('b', 10, LEASE_MS)).map((i) => i.eventId),
        ['b-1'],
      );
      assert.deepEqual(await queue.lease('a', 10, LEASE_MS), []);
      assert.deepEqual(await queue.lease('nobody', 10, LEASE_MS), []);
    });

    it('C02 gives ids that are unique strings, in the order of the items', async () => {
      const ids = await enqueueOk(queue, items('a', 3));
      assert.equal(new Set(ids).size, 3);
      const leased = await queue.lease('a', 3, LEASE_MS);
      assert.deepEqual(
        leased.map((i) => i.id),
        ids,
      );
    });

    it('C03 returns an expired lease to the queue (a dead worker), in its place', async () => {
      await enqueueOk(queue, items('a', 3));
      await queue.lease('a', 2, LEASE_MS);
      clock += LEASE_MS - 1;
      assert.deepEqual(
        (await queue.lease('a', 10, LEASE_MS)).map((i) => i.eventId),
        ['a-3'],
      );
      clock += 2;
      assert.deepEqual(
        (await queue.lease('a', 10, LEASE_MS)).map((i) => i.eventId),
        ['a-1', 'a-2'],
      );
    });

    it('C04 ack removes items; acking twice or an unknown id is harmless', async () => {
      await enqueueOk(queue, items('a', 3));
      const leased = await queue.lease('a', 2, LEASE_MS);
      await queue.ack(leased.map((i) => i.id));
      await queue.ack(leased.map((i) => i.id));
      await queue.ack(['999999']);
      clock += LEASE_MS * 2;
      assert.deepEqual(
        (await queue.lease('a', 10, LEASE_MS)).map((i) => i.eventId),
        ['a-3'],
      );
      assert.equal((await queue.stats()).depth, 1);
    });

    it('C05 retry holds an item until its time, counts attempts and keeps its place', async () => {
      await enqueueOk(queue, items('a', 3));
      const [first] = await queue.lease('a', 1, LEASE_MS);
      assert.ok(first);
      const failedAt = clock;
      await queue.retry(first.id, clock + 1000, 'HTTP 503');
      assert.deepEqual(
        (await queue.lease('a', 1, LEASE_MS)).map((i) => i.eventId),
        ['a-2'],
      );
      clock += 1000;
      const again = await queue.lease('a', 10, LEASE_MS);
      assert.deepEqual(
        again.map((i) => i.eventId),
        ['a-1', 'a-3'],
      );
      assert.equal(again[0]?.attempts, 1);
      assert.equal(again[0]?.lastError, 'HTTP 503');
      assert.equal(again[0]?.firstFailedAt, failedAt);
      assert.equal(again[0]?.nextAttemptAt, failedAt + 1000);
      clock += 5;
      await queue.retry(first.id, clock, 'ECONNRESET');
      const third = await queue.lease('a', 1, LEASE_MS);
      assert.equal(third[0]?.attempts, 2);
      assert.equal(third[0]?.lastError, 'ECONNRESET');
      assert.equal(third[0]?.firstFailedAt, failedAt, 'firstFailedAt is set once');
    });

    it('C06 release returns items without counting an attempt, optionally not before a time', async () => {
      await enqueueOk(queue, items('a', 2));
      const leased = await queue.lease('a', 2, LEASE_MS);
      await queue.release([leased[0]?.id ?? ''], clock + 500);
      await queue.release([leased[1]?.id ?? '']);
      assert.deepEqual(
        (await queue.lease('a', 10, LEASE_MS)).map((i) => i.eventId),
        ['a-2'],
      );
      clock += 500;
      const back = await queue.lease('a', 10, LEASE_MS);
      assert.deepEqual(
        back.map((i) => i.eventId),
        ['a-1'],
      );
      assert.equal(back[0]?.attempts, 0);
      assert.equal(back[0]?.firstFailedAt, null);
    });

    it('C21 retryNow makes a router’s waiting items due now, keeps their attempts, and leaves leased ones alone', async () => {
      await enqueueOk(queue, [...items('a', 4), item('b', 1)]);
      const [a1, a2, a3] = await queue.lease('a', 3, LEASE_MS);
      assert.ok(a1 && a2 && a3);
      const failedAt = clock;
      await queue.retry(a1.id, clock + 3_600_000, 'HTTP 503');
      await queue.release([a2.id], clock + 600_000);
      const [b1] = await queue.lease('b', 1, LEASE_MS);
      assert.ok(b1);
      await queue.retry(b1.id, clock + 3_600_000, 'HTTP 503');
      clock += 10;
      // a-1 and a-2 wait; a-3 is leased; a-4 is due already; b-1 is another router's.
      const waitingA = (await queue.stats()).routers.find((r) => r.routerId === 'a');
      assert.deepEqual([waitingA?.waiting, waitingA?.nextAttemptAt], [2, failedAt + 600_000]);
      assert.equal(await queue.retryNow('a'), 2);
      const dueA = (await queue.stats()).routers.find((r) => r.routerId === 'a');
      assert.deepEqual([dueA?.waiting, dueA?.nextAttemptAt], [0, null]);
      const due = await queue.lease('a', 10, LEASE_MS);
      assert.deepEqual(
        due.map((i) => i.eventId),
        ['a-1', 'a-2', 'a-4'],
        'due now, in their places',
      );
      assert.equal(due[0]?.attempts, 1);
      assert.equal(due[0]?.lastError, 'HTTP 503');
      assert.equal(due[0]?.firstFailedAt, failedAt);
      assert.equal(due[0]?.nextAttemptAt, clock);
      assert.equal(due[1]?.attempts, 0);
      assert.deepEqual(await queue.lease('b', 10, LEASE_MS), [], 'another router’s wait is untouched');
      assert.equal(await queue.retryNow('a'), 0, 'nothing waits any more');
      assert.equal(await queue.retryNow('nobody'), 0);
    });

    it('C07 settles a mixed batch at once', async () => {
      await enqueueOk(queue, items('a', 4));
      const [i1, i2, i3, i4] = await queue.lease('a', 4, LEASE_MS);
      assert.ok(i1 && i2 && i3 && i4);
      await queue.settle([
        { id: i1.id, kind: 'ack' },
        { id: i2.id, kind: 'retry', at: clock + 10, error: 'timeout' },
        { id: i3.id, kind: 'dead', reason: 'lrs_rejected', response: { statusCode: 400, body: 'bad' } },
        { id: i4.id, kind: 'release' },
      ]);
      const stats = await queue.stats();
      assert.equal(stats.depth, 2);
      assert.equal(stats.deadLetters, 1);
      assert.deepEqual(
        (await queue.lease('a', 10, LEASE_MS)).map((i) => i.eventId),
        ['a-4'],
      );
      clock += 10;
      assert.deepEqual(
        (await queue.lease('a', 10, LEASE_MS)).map((i) => i.eventId),
        ['a-2'],
      );
    });

    it('C08 dead-letters with reason, response and retry metadata; lists them oldest first', async () => {
      await enqueueOk(queue, [...items('a', 3), item('b', 1)]);
      const leased = await queue.lease('a', 3, LEASE_MS);
      await queue.retry(leased[0]?.id ?? '', clock, 'HTTP 500');
      const [again] = await queue.lease('a', 1, LEASE_MS);
      assert.ok(again);
      clock += 7;
      await queue.deadLetter(again.id, 'retries_exhausted', { statusCode: 500, body: 'oops' });
      await queue.deadLetter(leased[1]?.id ?? '', 'lrs_rejected');
      const [b1] = await queue.lease('b', 1, LEASE_MS);
      await queue.deadLetter(b1?.id ?? '', 'lrs_rejected', { errorCode: 'X', message: 'm' });
      const all = await queue.deadLetters.list();
      assert.deepEqual(
        all.map((d) => d.eventId),
        ['a-1', 'a-2', 'b-1'],
      );
      const [d1, d2] = all;
      assert.ok(d1 && d2);
      assert.equal(d1.reason, 'retries_exhausted');
      assert.deepEqual(d1.response, { statusCode: 500, body: 'oops' });
      // Every attempt counts, the one that ended in the dead letter included.
      assert.equal(d1.attempts, 2);
      assert.equal(d1.lastError, 'HTTP 500');
      assert.equal(d1.deadAt, clock);
      assert.deepEqual(d1.payload.value(), { id: 'a-1', n: 1 });
      assert.equal(d2.reason, 'lrs_rejected');
      assert.equal(d2.response, null);
      assert.equal(d2.attempts, 1, 'sent once and refused');
      assert.deepEqual(
        (await queue.deadLetters.list({ routerId: 'b' })).map((d) => d.eventId),
        ['b-1'],
      );
      const page = await queue.deadLetters.list({ limit: 1, afterId: d1.id });
      assert.deepEqual(
        page.map((d) => d.eventId),
        ['a-2'],
      );
      const stats = await queue.stats();
      assert.equal(stats.deadLetters, 3);
      assert.equal(stats.routers.find((r) => r.routerId === 'a')?.deadLetters, 2);
      assert.equal(stats.routers.find((r) => r.routerId === 'b')?.deadLetters, 1);
      assert.equal(stats.routers.find((r) => r.routerId === 'b')?.depth, 0);
    });

    it('C09 retries dead letters back to the end of the outbox with fresh metadata', async () => {
      await enqueueOk(queue, items('a', 3));
      const leased = await queue.lease('a', 2, LEASE_MS);
      await queue.retry(leased[0]?.id ?? '', clock, 'HTTP 500');
      const [again] = await queue.lease('a', 1, LEASE_MS);
      await queue.deadLetter(again?.id ?? '', 'retries_exhausted');
      await queue.deadLetter(leased[1]?.id ?? '', 'lrs_rejected');
      const [first] = await queue.deadLetters.list();
      const moved = await queue.deadLetters.retry({ ids: [first?.id ?? ''] });
      assert.deepEqual(moved, { ok: true, moved: 1 });
      const order = await queue.lease('a', 10, LEASE_MS);
      assert.deepEqual(
        order.map((i) => i.eventId),
        ['a-3', 'a-1'],
      );
      assert.equal(order[1]?.attempts, 0);
      assert.equal(order[1]?.firstFailedAt, null);
      assert.equal(order[1]?.lastError, null);
      assert.deepEqual(order[1]?.payload.value(), { id: 'a-1', n: 1 });
      assert.deepEqual(await queue.deadLetters.retry({ routerId: 'a' }), { ok: true, moved: 1 });
      assert.equal((await queue.deadLetters.list()).length, 0);
      assert.deepEqual(await queue.deadLetters.retry(), { ok: true, moved: 0 });
    });

    it('C10 purges dead letters by router, id or age', async () => {
      await enqueueOk(queue, [...items('a', 3), item('b', 1)]);
      for (const i of await queue.lease('a', 3, LEASE_MS)) {
        await queue.deadLetter(i.id, 'lrs_rejected');
        clock += 100;
      }
      for (const i of await queue.lease('b', 1, LEASE_MS)) await queue.deadLetter(i.id, 'lrs_rejected');
      const [a1] = await queue.deadLetters.list();
      assert.equal(await queue.deadLetters.purge({ ids: [a1?.id ?? ''], routerId: 'b' }), 0, 'both filters apply');
      assert.equal(await queue.deadLetters.purge({ ids: [a1?.id ?? ''] }), 1);
      assert.equal(await queue.deadLetters.purge({ routerId: 'a', before: clock - 150 }), 1);
      assert.deepEqual(
        (await queue.deadLetters.list()).map((d) => d.eventId),
        ['a-3', 'b-1'],
      );
      assert.equal(await queue.deadLetters.purge(), 2);
      assert.equal((await queue.stats()).deadLetters, 0);
    });

    it('C20 discards a deleted router’s items, leased or not, and its dead letters, and nothing of the others', async () => {
      await enqueueOk(queue, [...items('a', 4), ...items('b', 2)]);
      const [dead, leased] = await queue.lease('a', 2, LEASE_MS);
      assert.ok(dead && leased);
      await queue.deadLetter(dead.id, 'lrs_rejected');
      const [bDead] = await queue.lease('b', 1, LEASE_MS);
      assert.ok(bDead);
      await queue.deadLetter(bDead.id, 'lrs_rejected');

      assert.deepEqual(await queue.discardRouter('a'), { queued: 3, deadLetters: 1 });
      const stats = await queue.stats();
      assert.deepEqual(
        stats.routers.map((r) => [r.routerId, r.depth, r.deadLetters]),
        [['b', 1, 1]],
      );
      assert.equal(stats.depth, 1);
      // The worker that held the lease settles after the discard: nothing comes back.
      await queue.settle([{ id: leased.id, kind: 'dead', reason: 'lrs_rejected' }]);
      await queue.settle([{ id: leased.id, kind: 'retry', at: clock, error: 'late' }]);
      assert.deepEqual(
        (await queue.deadLetters.list()).map((d) => d.eventId),
        ['b-1'],
      );
      assert.deepEqual(await queue.lease('a', 10, LEASE_MS), []);
      assert.deepEqual(await queue.discardRouter('a'), { queued: 0, deadLetters: 0 });
      // The depth limits count what is left: the discarded items no longer take room.
      await enqueueOk(queue, items('a', 2));
      assert.equal((await queue.stats()).depth, 3);
    });

    it('C11 overflows beyond maxDepth, all or nothing', async () => {
      await harness.cleanup();
      await open({ maxDepth: 3 });
      await enqueueOk(queue, items('a', 2));
      const outcome = await queue.enqueue([item('a', 3), item('b', 1)]);
      assert.deepEqual(outcome, { ok: false, reason: 'queue_overflow', scope: 'total', depth: 2, maxDepth: 3 });
      assert.equal((await queue.stats()).depth, 2);
      await enqueueOk(queue, [item('b', 1)]);
      const [one] = await queue.lease('a', 1, LEASE_MS);
      await queue.ack([one?.id ?? '']);
      await enqueueOk(queue, [item('c', 1)]);
    });

    it('C12 overflows beyond maxDepthPerRouter for that router only', async () => {
      await harness.cleanup();
      await open({ maxDepthPerRouter: 2 });
      await enqueueOk(queue, items('a', 2));
      const outcome = await queue.enqueue([item('b', 1), item('a', 3)]);
      assert.deepEqual(outcome, {
        ok: false,
        reason: 'queue_overflow',
        scope: 'router',
        routerId: 'a',
        depth: 2,
        maxDepth: 2,
      });
      await enqueueOk(queue, items('b', 2));
      assert.equal((await queue.stats()).depth, 4);
    });

    it('C13 refuses to requeue dead letters beyond the depth limit', async () => {
      await harness.cleanup();
      await open({ maxDepth: 2 });
      await enqueueOk(queue, items('a', 2));
      const [one] = await queue.lease('a', 1, LEASE_MS);
      await queue.deadLetter(one?.id ?? '', 'lrs_rejected');
      await enqueueOk(queue, [item('a', 3)]);
      const outcome = await queue.deadLetters.retry();
      assert.equal(outcome.ok, false);
      assert.equal((await queue.deadLetters.list()).length, 1);
    });

    it('C14 reports depth, leased, retrying, oldest age and the next attempt of waiting items per router', async () => {
      await enqueueOk(queue, items('a', 3));
      const startedAt = clock;
      clock += 1000;
      await enqueueOk(queue, items('b', 1));
      const leased = await queue.lease('a', 2, LEASE_MS);
      await queue.retry(leased[0]?.id ?? '', clock + 60_000, 'x');
      clock += 500;
      const stats = await queue.stats();
      assert.equal(stats.depth, 4);
      assert.deepEqual(stats.routers, [
        {
          routerId: 'a',
          depth: 3,
          leased: 1,
          retrying: 1,
          oldestEnqueuedAt: startedAt,
          oldestAgeMs: 1500,
          waiting: 1,
          nextAttemptAt: startedAt + 61_000,
          deadLetters: 0,
        },
        {
          routerId: 'b',
          depth: 1,
          leased: 0,
          retrying: 0,
          oldestEnqueuedAt: startedAt + 1000,
          oldestAgeMs: 500,
          waiting: 0,
          nextAttemptAt: null,
          deadLetters: 0,
        },
      ]);
    });

    it('C15 summarises what is ready, up to a limit', async () => {
      assert.deepEqual(await queue.pending('a', 10), { ready: 0, oldestReadyAt: null, retrying: false });
      const firstAt = clock;
      await enqueueOk(queue, items('a', 3));
      clock += 10;
      await enqueueOk(queue, items('a', 2));
      assert.deepEqual(await queue.pending('a', 10), { ready: 5, oldestReadyAt: firstAt, retrying: false });
      assert.deepEqual(await queue.pending('a', 2), { ready: 2, oldestReadyAt: firstAt, retrying: false });
      const leased = await queue.lease('a', 3, LEASE_MS);
      assert.deepEqual(await queue.pending('a', 10), { ready: 2, oldestReadyAt: firstAt + 10, retrying: false });
      await queue.retry(leased[2]?.id ?? '', clock, 'x');
      assert.deepEqual(await queue.pending('a', 10), { ready: 3, oldestReadyAt: firstAt, retrying: true });
      assert.deepEqual(await queue.pending('b', 10), { ready: 0, oldestReadyAt: null, retrying: false });
    });

    it('C16 tells listeners which routers got items', async () => {
      const seen: string[][] = [];
      const off = queue.onEnqueue((ids) => seen.push([...ids].sort()));
      await enqueueOk(queue, [item('b', 1), item('a', 1), item('b', 2)]);
      await enqueueOk(queue, []);
      off();
      await enqueueOk(queue, [item('c', 1)]);
      assert.deepEqual(seen, [['a', 'b']]);
    });

    it('C17 gives the payload’s JSON text back byte for byte, leased and dead-lettered', async () => {
      // Request bodies are joined from this text, and dedupe compares it: any re-encoding would show.
      const payload = JsonPayload.of({ id: 'x', s: 'é "\\ \u2028 😀', n: 1e21, f: -0.000001, z: null, a: [1, { b: false }] });
      await enqueueOk(queue, [{ routerId: 'a', eventId: 'x', payload }]);
      const [leased] = await queue.lease('a', 1, LEASE_MS);
      assert.equal(leased?.payload.text, payload.text);
      await queue.deadLetter(leased?.id ?? '', 'lrs_rejected');
      const [dead] = await queue.deadLetters.list();
      assert.equal(dead?.payload.text, payload.text);
    });

    it('C18 keeps payloads apart from the caller’s objects', async () => {
      await enqueueOk(queue, [{ routerId: 'a', eventId: 'x', payload: JsonPayload.of({ id: 'x', nested: { v: 1 } }) }]);
      const [leased] = await queue.lease('a', 1, LEASE_MS);
      (leased?.payload.value() as { nested: { v: number } }).nested.v = 2;
      await queue.release([leased?.id ?? '']);
      const [again] = await queue.lease('a', 1, LEASE_MS);
      assert.deepEqual(again?.payload.value(), { id: 'x', nested: { v: 1 } });
      assert.equal(again?.eventName, null);
      assert.equal(again?.businessCritical, false);
    });

    it('C19 rejects every call after close, and close is idempotent', async () => {
      await queue.close();
      await queue.close();
      await assert.rejects(queue.enqueue([item('a', 1)]));
      await assert.rejects(queue.lease('a', 1, LEASE_MS));
      await assert.rejects(queue.stats());
    });
  });
}
