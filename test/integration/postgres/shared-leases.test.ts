import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { DeliveryQueue } from '../../../src/queue/port.js';
import { createPostgresQueue } from '../../../src/queue/postgres/postgres-queue.js';
import { createTestDatabase, skipOrFail, testServer, type TestDatabase } from './test-database.js';
import { JsonPayload } from '../../../src/queue/json-payload.js';

/** Several queue instances (separate pools) on one database, as several `serve` processes are. */
const server = await testServer();
const database = server.ok ? await createTestDatabase(server.adminUrl) : undefined;
const queues: DeliveryQueue[] = [];
after(async () => {
  for (const queue of queues) await queue.close();
});

async function instances(db: TestDatabase, count: number, now?: () => number): Promise<DeliveryQueue[]> {
  const opened = await Promise.all(
    Array.from({ length: count }, () => createPostgresQueue({ connectionString: db.url, poolSize: 3, ...(now ? { now } : {}) })),
  );
  queues.push(...opened);
  return opened;
}

const item = (n: number, routerId = 'r') => ({ routerId, eventId: `e${n}`, n, payload: JsonPayload.of({ n }) });

describe('PostgreSQL outbox shared by several instances', () => {
  if (database === undefined) {
    it('needs PostgreSQL', (t) => skipOrFail(t, server.ok ? 'no database' : server.reason));
    return;
  }

  it('a settle after the lease expired cannot touch another instance’s newer lease', async () => {
    let clock = 1_700_000_000_000;
    const [a, b] = await instances(await database.schema(), 2, () => clock);
    assert.ok(a && b);
    await a.enqueue([item(1), item(2)]);
    const [mine] = await a.lease('r', 1, 1000);
    assert.ok(mine);
    clock += 1001; // A's lease expired (A stalled)
    const [theirs] = await b.lease('r', 1, 1000);
    assert.equal(theirs?.id, mine.id, 'B takes the expired item over');
    await a.ack([mine.id]);
    await a.retry(mine.id, clock, 'late');
    await a.release([mine.id]);
    await a.deadLetter(mine.id, 'lrs_rejected');
    const stats = await b.stats();
    assert.equal(stats.depth, 2, 'A’s late settles changed nothing');
    assert.equal(stats.deadLetters, 0);
    assert.equal(stats.routers[0]?.leased, 1);
    await b.retry(mine.id, clock, 'HTTP 503'); // B's own lease: applies
    const [again] = await b.lease('r', 2, 1000);
    assert.equal(again?.id, mine.id);
    assert.equal(again?.attempts, 1, 'only B’s retry counted');
  });

  it('a late settle still applies when nobody leased the item again', async () => {
    let clock = 1_700_000_000_000;
    const [a, b] = await instances(await database.schema(), 2, () => clock);
    assert.ok(a && b);
    await a.enqueue([item(1)]);
    const [mine] = await a.lease('r', 1, 1000);
    clock += 5000;
    await a.ack([mine?.id ?? '']); // delivered, just late: keep the result
    assert.equal((await b.stats()).depth, 0);
  });

  it('an instance cannot settle a valid lease it does not hold', async () => {
    const [a, b] = await instances(await database.schema(), 2);
    assert.ok(a && b);
    await a.enqueue([item(1)]);
    const [leased] = await a.lease('r', 1, 60_000);
    await b.ack([leased?.id ?? '']);
    await b.release([leased?.id ?? '']);
    assert.equal((await b.lease('r', 1, 60_000)).length, 0, 'still A’s');
    assert.equal((await a.stats()).depth, 1);
    await a.ack([leased?.id ?? '']);
    assert.equal((await a.stats()).depth, 0);
  });

  it('three instances leasing at once take disjoint items and deliver each once', async () => {
    const db = await database.schema();
    const [a, b, c] = await instances(db, 3);
    assert.ok(a && b && c);
    const total = 3000;
    // Enqueued by all three at once, in batches, as ingest on three instances would.
    await Promise.all(
      [a, b, c].map(async (queue, k) => {
        // Instance k enqueues the items n ≡ k (mod 3), 50 per call.
        for (let n = k; n < total; n += 3 * 50) {
          const outcome = await queue.enqueue(Array.from({ length: 50 }, (_, i) => item(n + i * 3)).filter((it) => it.n < total));
          assert.ok(outcome.ok);
        }
      }),
    );
    assert.equal((await a.stats()).depth, total);
    const delivered = new Map<string, string>();
    await Promise.all(
      [a, b, c].map(async (queue, k) => {
        for (;;) {
          const leased = await queue.lease('r', 40, 60_000);
          if (leased.length === 0) {
            if ((await queue.stats()).depth === 0) return;
            await new Promise((r) => setTimeout(r, 5));
            continue;
          }
          for (const it of leased) {
            assert.equal(delivered.has(it.eventId), false, `${it.eventId} leased twice (by ${delivered.get(it.eventId)} and ${k})`);
            delivered.set(it.eventId, String(k));
          }
          await queue.ack(leased.map((it) => it.id));
        }
      }),
    );
    assert.equal(delivered.size, total);
    const shares = [0, 1, 2].map((k) => [...delivered.values()].filter((v) => v === String(k)).length);
    assert.ok(
      shares.every((n) => n > 0),
      `every instance got work: ${shares.join('/')}`,
    );
    const { rows } = await db.sql('SELECT coalesce(sum(depth), 0)::int AS depth FROM outbox_depth');
    assert.equal(rows[0]?.depth, 0, 'the depth rows agree with the (empty) outbox');
  });

  it('keeps the depth rows right under concurrent enqueues and acks of several routers', async () => {
    const db = await database.schema();
    const [a, b] = await instances(db, 2);
    assert.ok(a && b);
    const routers = ['x', 'y', 'z'];
    await Promise.all(
      [a, b].map(async (queue, k) => {
        for (let round = 0; round < 20; round++) {
          // Routers in opposite orders on the two instances: the triggers must not deadlock.
          const order = k === 0 ? routers : [...routers].reverse();
          await queue.enqueue(order.flatMap((r) => [item(round * 10 + k, r), item(round * 10 + k + 5, r)]));
          const leased = await queue.lease(order[round % 3] as string, 3, 60_000);
          await queue.ack(leased.map((it) => it.id));
        }
      }),
    );
    const { rows } = await db.sql(
      `SELECT d.router_id, d.depth::int AS depth, (SELECT count(*)::int FROM outbox o WHERE o.router_id = d.router_id) AS actual
       FROM outbox_depth d ORDER BY d.router_id`,
    );
    for (const row of rows) assert.equal(row.depth, row.actual, row.router_id);
    assert.equal(
      (await a.stats()).depth,
      rows.reduce((sum, row) => sum + row.actual, 0),
    );
  });
});
