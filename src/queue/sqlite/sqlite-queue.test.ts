import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { createSqliteQueue } from './sqlite-queue.js';
import { JsonPayload } from '../json-payload.js';

const dir = mkdtempSync(join(tmpdir(), 'outbox-sqlite-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const freshPath = (): string => join(dir, `outbox-${++files}.sqlite`);
const payloadItem = (n: number) => ({ routerId: 'r', eventId: `e${n}`, payload: JsonPayload.of({ id: `e${n}` }) });

describe('SQLite outbox on disk', () => {
  it('keeps items, retry metadata and dead letters across a reopen', async () => {
    const path = freshPath();
    const first = await createSqliteQueue({ path });
    await first.enqueue([1, 2, 3].map(payloadItem));
    const [one, two] = await first.lease('r', 2, 60_000);
    await first.retry(one?.id ?? '', 0, 'HTTP 503');
    await first.deadLetter(two?.id ?? '', 'lrs_rejected', { statusCode: 400, body: 'no' });
    await first.close();

    const second = await createSqliteQueue({ path });
    const leased = await second.lease('r', 10, 60_000);
    assert.deepEqual(
      leased.map((i) => [i.eventId, i.attempts, i.lastError]),
      [
        ['e1', 1, 'HTTP 503'],
        ['e3', 0, null],
      ],
    );
    const [dead] = await second.deadLetters.list();
    assert.deepEqual(dead?.response, { statusCode: 400, body: 'no' });
    const stats = await second.stats();
    assert.equal(stats.depth, 2);
    await second.close();
  });

  it('returns leases left by a killed process when it reopens (unless told not to)', async () => {
    const path = freshPath();
    // A process that shares the file keeps its leases there.
    const crashed = await createSqliteQueue({ path, recoverLeasesOnOpen: false });
    await crashed.enqueue([1, 2].map(payloadItem));
    await crashed.lease('r', 2, 3_600_000);
    await crashed.close(); // as good as a crash: the leases stay in the file

    const keep = await createSqliteQueue({ path, recoverLeasesOnOpen: false });
    assert.equal((await keep.lease('r', 10, 1000)).length, 0);
    await keep.close();

    const restarted = await createSqliteQueue({ path });
    assert.deepEqual(
      (await restarted.lease('r', 10, 1000)).map((i) => i.eventId),
      ['e1', 'e2'],
    );
    await restarted.close();
  });

  it('keeps the leases of the owning process in memory: the file never holds them', async () => {
    const path = freshPath();
    const owner = await createSqliteQueue({ path });
    await owner.enqueue([1, 2, 3].map(payloadItem));
    const leased = await owner.lease('r', 2, 3_600_000);
    assert.deepEqual(
      leased.map((i) => i.eventId),
      ['e1', 'e2'],
    );
    assert.deepEqual(
      (await owner.lease('r', 10, 3_600_000)).map((i) => i.eventId),
      ['e3'],
      'leased items are not leased twice',
    );
    assert.equal((await owner.stats()).routers[0]?.leased, 3);
    const cli = new Database(path, { readonly: true });
    assert.equal(cli.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM outbox WHERE lease_until > 0').get()?.n, 0);
    cli.close();
    await owner.close(); // a kill -9 forgets them with the process
    const restarted = await createSqliteQueue({ path });
    assert.deepEqual(
      (await restarted.lease('r', 10, 1000)).map((i) => i.eventId),
      ['e1', 'e2', 'e3'],
    );
    await restarted.close();
  });

  it('keeps the depth limit right when another connection changes the file', async () => {
    const path = freshPath();
    const queue = await createSqliteQueue({ path, maxDepth: 3 });
    await queue.enqueue([1, 2, 3].map(payloadItem));
    const cli = new Database(path);
    cli.prepare('DELETE FROM outbox WHERE event_id = ?').run('e1');
    cli.close();
    const outcome = await queue.enqueue([payloadItem(4)]);
    assert.equal(outcome.ok, true);
    assert.equal((await queue.enqueue([payloadItem(5)])).ok, false);
    await queue.close();
  });

  it('refuses a file a newer release migrated further', async () => {
    const path = freshPath();
    await (await createSqliteQueue({ path })).close();
    const db = new Database(path);
    db.prepare("INSERT INTO outbox_migration (name, timestamp) VALUES ('9999_future', '2030-01-01')").run();
    db.close();
    await assert.rejects(createSqliteQueue({ path }), /outbox database migration failed/);
  });

  it('opens a file an earlier release created (version 1 in user_version, no migration table)', async () => {
    const path = freshPath();
    const first = await createSqliteQueue({ path });
    await first.enqueue([payloadItem(1)]);
    await first.close();
    // The tables are those the earlier release wrote (same DDL); take away what this one adds.
    const db = new Database(path);
    db.exec('DROP TABLE outbox_migration; DROP TABLE outbox_migration_lock');
    db.pragma('user_version = 1');
    db.close();
    const reopened = await createSqliteQueue({ path });
    assert.equal((await reopened.stats()).depth, 1);
    await reopened.close();
  });
});

describe('SQLite outbox group commit', () => {
  it('commits concurrent enqueues together, each all or nothing against the limit', async () => {
    const queue = await createSqliteQueue({ path: freshPath(), maxDepth: 5 });
    const outcomes = await Promise.all([
      queue.enqueue([1, 2].map(payloadItem)),
      queue.enqueue([3, 4, 5, 6].map(payloadItem)),
      queue.enqueue([7, 8, 9].map(payloadItem)),
      queue.enqueue([]),
    ]);
    assert.deepEqual(
      outcomes.map((o) => o.ok),
      [true, false, true, true],
    );
    assert.equal((await queue.stats()).depth, 5);
    await queue.close();
  });

  it('writes what was submitted before close', async () => {
    const path = freshPath();
    const queue = await createSqliteQueue({ path });
    const pending = queue.enqueue([payloadItem(1)]);
    await queue.close();
    assert.equal((await pending).ok, true);
    const reopened = await createSqliteQueue({ path });
    assert.equal((await reopened.stats()).depth, 1);
    await reopened.close();
  });
});
