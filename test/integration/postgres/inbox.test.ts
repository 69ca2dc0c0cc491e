import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openPostgresInbox, type PostgresEventInbox, type PostgresInboxOptions } from '../../../src/pipeline/postgres-inbox.js';
import { databaseOrSkip, type TestDatabase } from './test-database.js';

/**
 * The PostgreSQL inbox (DATABASE_URL): the SQLite inbox's behaviour (src/pipeline/inbox.test.ts,
 * I01–I08) where it applies, and what sharing it between instances adds: disjoint takes, lease
 * expiry after a dead instance, de-duplication of bus redeliveries across instances.
 */
const db = await databaseOrSkip('PostgreSQL inbox needs PostgreSQL');
const bodies = (n: number, from = 0) => Array.from({ length: n }, (_, i) => ({ body: `{"name":"e${i + from}"}` }));

/** Each case in a fresh schema; `instances` openers on it, as that many service instances. */
async function fresh(instances: number, options: Partial<PostgresInboxOptions> = {}): Promise<PostgresEventInbox[]> {
  return (await freshIn(instances, options)).inboxes;
}

async function freshIn(instances: number, options: Partial<PostgresInboxOptions> = {}): Promise<{ schema: TestDatabase; inboxes: PostgresEventInbox[] }> {
  if (db === undefined) throw new Error('no PostgreSQL');
  const schema = await db.schema();
  const inboxes: PostgresEventInbox[] = [];
  for (let i = 0; i < instances; i++) inboxes.push(await openPostgresInbox({ connectionString: schema.url, poolSize: 2, ...options }));
  return { schema, inboxes };
}

async function closeAll(inboxes: PostgresEventInbox[]): Promise<void> {
  for (const inbox of inboxes) await inbox.close();
}

if (db !== undefined) {
  describe('PostgreSQL inbox', () => {
    it('PI01 takes entries in acceptance order, each once, and deletes what is done', async () => {
      const [inbox] = await fresh(1);
      assert.ok(inbox);
      assert.deepEqual(await inbox.append(bodies(5)), { ok: true, added: 5, duplicates: 0 });
      const first = await inbox.take(3);
      assert.deepEqual(first.map((e) => e.body), ['{"name":"e0"}', '{"name":"e1"}', '{"name":"e2"}']);
      assert.deepEqual((await inbox.take(10)).map((e) => e.body), ['{"name":"e3"}', '{"name":"e4"}'], 'entries in processing are not taken again');
      await inbox.complete({ done: first.map((e) => e.seq), deferred: [] });
      assert.equal((await inbox.refreshStats()).depth, 2);
      await inbox.close();
    });

    it('PI02 refuses a whole append beyond maxDepth (nothing stored), counting every instance', async () => {
      const inboxes = await fresh(2, { maxDepth: 4 });
      const [a, b] = inboxes;
      assert.ok(a && b);
      assert.equal((await a.append(bodies(3))).ok, true);
      assert.deepEqual(await b.append(bodies(2)), { ok: false, reason: 'queue_overflow', depth: 3, maxDepth: 4 });
      assert.equal((await b.refreshStats()).depth, 3);
      assert.equal((await b.append(bodies(1))).ok, true);
      await closeAll(inboxes);
    });

    it('PI03 two instances taking at once get disjoint entries; together all of them', async () => {
      const inboxes = await fresh(2);
      const [a, b] = inboxes;
      assert.ok(a && b);
      await a.append(bodies(200));
      const [fromA, fromB] = await Promise.all([a.take(120), b.take(120)]);
      const seqs = [...fromA, ...fromB].map((e) => e.seq);
      assert.equal(new Set(seqs).size, seqs.length, 'no entry taken by both');
      assert.equal(seqs.length, 200);
      await closeAll(inboxes);
    });

    it('PI04 a deferred entry comes back when due, with its attempts counted', async () => {
      let now = 1000;
      const [inbox] = await fresh(1, { now: () => now });
      assert.ok(inbox);
      await inbox.append(bodies(2));
      const [a, b] = await inbox.take(2);
      assert.ok(a && b);
      await inbox.complete({ done: [b.seq], deferred: [{ seq: a.seq, at: 5000, error: 'LMS down' }] });
      assert.deepEqual(await inbox.take(10), []);
      const stats = await inbox.refreshStats();
      assert.equal(stats.deferred, 1);
      assert.equal(stats.nextDueAt, 5000);
      now = 5000;
      const again = await inbox.take(10);
      assert.equal(again.length, 1);
      assert.equal(again[0]?.attempts, 1);
      await inbox.close();
    });

    it('PI05 rewind: after a failed batch the same entries are taken again, by any instance', async () => {
      const inboxes = await fresh(2);
      const [a, b] = inboxes;
      assert.ok(a && b);
      await a.append(bodies(3));
      assert.equal((await a.take(3)).length, 3);
      assert.equal((await b.take(3)).length, 0, 'leased by a');
      await a.rewind();
      assert.equal((await b.take(3)).length, 3);
      await closeAll(inboxes);
    });

    it('PI06 the entries of an instance that died go to another once its lease has ended', async () => {
      let now = 10_000;
      const inboxes = await fresh(2, { now: () => now, leaseMs: 500 });
      const [dead, alive] = inboxes;
      assert.ok(dead && alive);
      await alive.append(bodies(4));
      assert.equal((await dead.take(4)).length, 4);
      now += 499;
      assert.deepEqual(await alive.take(4), [], 'still leased');
      now += 1;
      const taken = await alive.take(4);
      assert.deepEqual(taken.map((e) => e.body), bodies(4).map((b) => b.body));
      await alive.complete({ done: taken.map((e) => e.seq), deferred: [] });
      assert.equal((await alive.refreshStats()).depth, 0);
      await closeAll(inboxes);
    });

    it('PI07 a bus message still waiting (same sourceId) is not stored twice, whichever instance gets it', async () => {
      const inboxes = await fresh(2);
      const [a, b] = inboxes;
      assert.ok(a && b);
      assert.deepEqual(await a.append([{ body: '{"name":"a"}', sourceId: 'redis:s:1-0' }]), { ok: true, added: 1, duplicates: 0 });
      assert.deepEqual(await b.append([{ body: '{"name":"a"}', sourceId: 'redis:s:1-0' }, { body: '{"name":"b"}', sourceId: 'redis:s:2-0' }]), {
        ok: true,
        added: 1,
        duplicates: 1,
      });
      await closeAll(inboxes);
    });

    it('PI08 close gives back what was taken and not completed; a restarted instance finds it', async () => {
      const { schema, inboxes } = await freshIn(1, { leaseMs: 600_000 });
      const [first] = inboxes;
      assert.ok(first);
      await first.append(bodies(3));
      assert.equal((await first.take(2)).length, 2);
      await first.close();
      await assert.rejects(async () => first.take(1), /closed/);
      const second = await openPostgresInbox({ connectionString: schema.url, poolSize: 2 });
      assert.deepEqual((await second.take(10)).map((e) => e.body), bodies(3).map((b) => b.body));
      assert.equal((await second.refreshStats()).depth, 3);
      await second.close();
    });

    it('PI09 keeps poison bus messages with their bytes', async () => {
      const { schema, inboxes } = await freshIn(1);
      const [inbox] = inboxes;
      assert.ok(inbox);
      const bytes = Buffer.from([0xff, 0x00, 0x01]);
      await inbox.addBusDeadLetter({ sourceId: 'redis:s:9-0', reason: 'malformed_avro', message: 'bad', fields: { type: 'x' }, bytes });
      assert.equal((await inbox.refreshStats()).busDeadLetters, 1);
      await inbox.close();
      const { rows } = await schema.sql('SELECT source_id, reason, fields, bytes FROM bus_dead_letters');
      assert.deepEqual(rows, [{ source_id: 'redis:s:9-0', reason: 'malformed_avro', fields: '{"type":"x"}', bytes }]);
    });

    it('PI10 a read position is committed with the events it follows, and not when they are refused', async () => {
      const [inbox] = await fresh(1, { maxDepth: 3 });
      assert.ok(inbox);
      const at = (offset: number) => ({ path: '/logs/tracking.log', dev: '2049', ino: '18446744073709551000', offset });
      assert.deepEqual(await inbox.readPositions(), []);
      assert.equal((await inbox.append(bodies(2), at(40))).ok, true);
      assert.equal((await inbox.append(bodies(2, 2), at(80))).ok, false);
      assert.deepEqual(await inbox.readPositions(), [at(40)], 'the refused append left the position where it was');
      assert.equal((await inbox.append([], at(0))).ok, true, 'a position alone (a rotation) is stored even at the bound');
      assert.deepEqual(await inbox.readPositions(), [at(0)]);
      assert.equal((await inbox.refreshStats()).depth, 2);
      await inbox.close();
    });
  });
}
