import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { EventInbox, InboxInput } from '../../src/queue/inbox/port.js';

/** What an adapter's test file gives the suite: a fresh inbox on a clock the suite controls. */
export interface InboxHarness {
  inbox: EventInbox;
  /** Durable adapters: a new opener on the same storage, as the next process would open it. */
  reopen?: () => Promise<EventInbox>;
  /** Adapters shared by several instances: another instance's opener, open at the same time. */
  another?: () => Promise<EventInbox>;
  cleanup(): Promise<void>;
}

export type InboxFactory = (options: { maxDepth?: number; now: () => number }) => Promise<InboxHarness>;

const bodies = (n: number, from = 0): InboxInput[] => Array.from({ length: n }, (_, i) => ({ body: `{"name":"e${i + from}"}` }));
const texts = (entries: ReadonlyArray<{ body: string }>): string[] => entries.map((e) => e.body);

/**
 * The behaviour every EventInbox adapter must share: what ingest (HTTP, bus, file follower), the
 * pipeline and the readiness probe rely on. Each adapter's test file calls this once.
 */
export function runInboxSuite(adapter: string, factory: InboxFactory): void {
  describe(`EventInbox conformance: ${adapter}`, () => {
    let clock = 0;
    let harness: InboxHarness;
    let inbox: EventInbox;
    const extra: EventInbox[] = [];
    const open = async (options: { maxDepth?: number } = {}): Promise<void> => {
      await inbox.close();
      await harness.cleanup();
      harness = await factory({ ...options, now: () => clock });
      inbox = harness.inbox;
    };
    beforeEach(async () => {
      clock = 1_700_000_000_000;
      harness = await factory({ now: () => clock });
      inbox = harness.inbox;
    });
    afterEach(async () => {
      for (const other of extra.splice(0)) await other.close();
      await inbox.close();
      await harness.cleanup();
    });

    it('N01 takes entries in acceptance order, each once, and deletes what is completed', async () => {
      assert.deepEqual(await inbox.append(bodies(5)), { ok: true, added: 5, duplicates: 0 });
      const first = await inbox.take(3);
      assert.deepEqual(texts(first), texts(bodies(3)));
      assert.deepEqual(texts(await inbox.take(10)), texts(bodies(2, 3)), 'entries in processing are not taken again');
      assert.deepEqual(await inbox.take(10), []);
      const [one] = first;
      assert.ok(one);
      assert.equal(one.attempts, 0);
      assert.equal(one.receivedAt, clock);
      assert.ok(
        first.every((e, i) => i === 0 || e.seq > (first[i - 1]?.seq ?? Infinity)),
        'seq grows with acceptance',
      );
      await inbox.complete({ done: first.map((e) => e.seq), deferred: [] });
      assert.equal((await inbox.refreshStats()).depth, 2);
      assert.deepEqual(await inbox.take(0), []);
    });

    it('N02 refuses a whole append beyond maxDepth (nothing stored) and counts the depth', async () => {
      await open({ maxDepth: 4 });
      assert.equal((await inbox.append(bodies(3))).ok, true);
      assert.deepEqual(await inbox.append(bodies(2)), { ok: false, reason: 'queue_overflow', depth: 3, maxDepth: 4 });
      assert.equal((await inbox.refreshStats()).depth, 3);
      assert.equal((await inbox.append(bodies(1))).ok, true);
      const taken = await inbox.take(10);
      assert.equal(taken.length, 4);
      await inbox.complete({ done: taken.slice(0, 2).map((e) => e.seq), deferred: [] });
      assert.equal((await inbox.append(bodies(2))).ok, true, 'room again once completed');
    });

    it('N03 a deferred entry waits until due, comes back with its attempts counted', async () => {
      await inbox.append(bodies(2));
      const [a, b] = await inbox.take(2);
      assert.ok(a && b);
      await inbox.complete({ done: [b.seq], deferred: [{ seq: a.seq, at: clock + 5000, error: 'LMS down' }] });
      assert.deepEqual(await inbox.take(10), []);
      const stats = await inbox.refreshStats();
      assert.deepEqual(stats, { depth: 1, deferred: 1, oldestReceivedAt: clock, nextDueAt: clock + 5000 });
      assert.deepEqual(inbox.stats(), stats, 'stats() answers the last read at once');
      clock += 5000;
      const again = await inbox.take(10);
      assert.deepEqual(texts(again), [a.body]);
      assert.equal(again[0]?.attempts, 1);
      assert.equal(again[0]?.seq, a.seq);
    });

    it('N04 due deferred entries and fresh ones come together in acceptance order', async () => {
      await inbox.append(bodies(2));
      const [a] = await inbox.take(1);
      assert.ok(a);
      await inbox.complete({ done: [], deferred: [{ seq: a.seq, at: clock + 10, error: 'x' }] });
      await inbox.append(bodies(1, 2));
      clock += 10;
      assert.deepEqual(texts(await inbox.take(10)), texts(bodies(3)));
    });

    it('N05 rewind gives back what was taken and not completed', async () => {
      await inbox.append(bodies(3));
      const taken = await inbox.take(3);
      await inbox.complete({ done: [taken[0]?.seq ?? -1], deferred: [] });
      await inbox.rewind();
      assert.deepEqual(texts(await inbox.take(3)), texts(bodies(2, 1)));
    });

    it('N06 a bus message still waiting (same sourceId) is not stored twice; once done it may come again', async () => {
      assert.deepEqual(await inbox.append([{ body: '{"name":"a"}', sourceId: 'redis:s:1-0' }]), { ok: true, added: 1, duplicates: 0 });
      assert.deepEqual(
        await inbox.append([
          { body: '{"name":"a"}', sourceId: 'redis:s:1-0' },
          { body: '{"name":"b"}', sourceId: 'redis:s:2-0' },
        ]),
        {
          ok: true,
          added: 1,
          duplicates: 1,
        },
      );
      const taken = await inbox.take(10);
      assert.deepEqual(texts(taken), ['{"name":"a"}', '{"name":"b"}']);
      await inbox.complete({ done: taken.map((e) => e.seq), deferred: [] });
      assert.deepEqual(await inbox.append([{ body: '{"name":"a"}', sourceId: 'redis:s:1-0' }]), { ok: true, added: 1, duplicates: 0 });
    });

    it('N07 a read position is committed with the events it follows, and not when they are refused', async () => {
      await open({ maxDepth: 3 });
      const at = (offset: number) => ({ path: '/logs/tracking.log', dev: '2049', ino: '18446744073709551000', offset });
      assert.deepEqual(await inbox.readPositions(), []);
      assert.equal((await inbox.append(bodies(2), at(40))).ok, true);
      assert.equal((await inbox.append(bodies(2, 2), at(80))).ok, false);
      assert.deepEqual(await inbox.readPositions(), [at(40)], 'the refused append left the position where it was');
      assert.equal((await inbox.append([], at(0))).ok, true, 'a position alone (a rotation) is stored even at the bound');
      assert.deepEqual(await inbox.readPositions(), [at(0)]);
      await inbox.append([], { ...at(7), path: '/logs/a.log' });
      assert.deepEqual(
        (await inbox.readPositions()).map((p) => p.path),
        ['/logs/a.log', '/logs/tracking.log'],
        'one per path, by path',
      );
      assert.equal((await inbox.refreshStats()).depth, 2);
    });

    it('N08 appends made at once each resolve with their own outcome', async () => {
      const outcomes = await Promise.all([inbox.append(bodies(2)), inbox.append(bodies(3, 2)), inbox.append([])]);
      assert.deepEqual(outcomes, [
        { ok: true, added: 2, duplicates: 0 },
        { ok: true, added: 3, duplicates: 0 },
        { ok: true, added: 0, duplicates: 0 },
      ]);
      assert.equal((await inbox.take(10)).length, 5);
    });

    it('N09 after close every call but rewind and close rejects', async () => {
      await inbox.append(bodies(1));
      await inbox.close();
      await inbox.close();
      await inbox.rewind();
      await assert.rejects(inbox.take(1), /closed/);
      await assert.rejects(inbox.append(bodies(1)), /closed/);
      await assert.rejects(inbox.complete({ done: [1], deferred: [] }), /closed/);
      await assert.rejects(inbox.readPositions(), /closed/);
    });

    it('N10 durable: what was appended, and taken but not completed, is there for the next opener', async (t) => {
      if (harness.reopen === undefined) return t.skip('not durable');
      await inbox.append(bodies(4), { path: '/logs/tracking.log', dev: '1', ino: '2', offset: 99 });
      const taken = await inbox.take(3);
      await inbox.complete({ done: [taken[0]?.seq ?? -1], deferred: [] });
      await inbox.close();
      inbox = await harness.reopen();
      assert.deepEqual(texts(await inbox.take(10)), texts(bodies(3, 1)));
      assert.equal((await inbox.refreshStats()).depth, 3);
      assert.deepEqual(await inbox.readPositions(), [{ path: '/logs/tracking.log', dev: '1', ino: '2', offset: 99 }]);
    });

    it('N11 shared: instances taking at once get disjoint entries, together all of them', async (t) => {
      if (harness.another === undefined) return t.skip('one instance per inbox');
      const other = await harness.another();
      extra.push(other);
      await inbox.append(bodies(200));
      const [mine, theirs] = await Promise.all([inbox.take(120), other.take(120)]);
      const seqs = [...mine, ...theirs].map((e) => e.seq);
      assert.equal(new Set(seqs).size, 200, 'no entry taken twice, none left out');
      await other.rewind();
      assert.equal((await inbox.take(200)).length, theirs.length, 'what one gives back, the other may take');
    });

    it('N12 shared: depth, the bound and duplicates count every instance', async (t) => {
      if (harness.another === undefined) return t.skip('one instance per inbox');
      await open({ maxDepth: 4 });
      const other = await harness.another();
      extra.push(other);
      assert.equal((await inbox.append([...bodies(2), { body: '{"name":"a"}', sourceId: 'redis:s:1-0' }])).ok, true);
      assert.deepEqual(await other.append(bodies(2)), { ok: false, reason: 'queue_overflow', depth: 3, maxDepth: 4 });
      assert.deepEqual(await other.append([{ body: '{"name":"a"}', sourceId: 'redis:s:1-0' }]), { ok: true, added: 0, duplicates: 1 });
      assert.equal((await other.refreshStats()).depth, 3);
    });
  });
}
