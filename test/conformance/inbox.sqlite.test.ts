import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { openSqliteBusDeadLetters } from '../../src/queue/bus-dead-letters/sqlite-bus-dead-letters.js';
import { openSqliteInbox } from '../../src/queue/inbox/sqlite-inbox.js';
import { runInboxSuite } from './inbox.suite.js';

const root = mkdtempSync(join(tmpdir(), 'inbox-conformance-'));
after(() => rmSync(root, { recursive: true, force: true }));
let files = 0;

runInboxSuite('sqlite', async (options) => {
  const path = join(root, `inbox-${++files}.sqlite`);
  // `normal` keeps the suite fast; durability itself is tested in the kill -9 scenario.
  const open = () => openSqliteInbox({ ...options, path, synchronous: 'normal' });
  return { inbox: await open(), reopen: open, cleanup: async () => undefined };
});

describe('SQLite inbox file', () => {
  it('appends of one turn share a transaction, each all or nothing against the bound', async () => {
    const inbox = await openSqliteInbox({ path: join(root, 'grouped.sqlite'), synchronous: 'normal', maxDepth: 5 });
    const bodies = (n: number) => Array.from({ length: n }, (_, i) => ({ body: `{"n":${i}}` }));
    const outcomes = await Promise.all([inbox.append(bodies(2)), inbox.append(bodies(2)), inbox.append(bodies(2))]);
    assert.deepEqual(
      outcomes.map((o) => o.ok),
      [true, true, false],
    );
    assert.equal(inbox.stats().depth, 4);
    await inbox.close();
  });

  it('opens a file an earlier release created (its version in user_version, no migration table)', async () => {
    const path = join(root, 'earlier.sqlite');
    const inbox = await openSqliteInbox({ path, synchronous: 'normal' });
    await inbox.append([{ body: '{"name":"kept"}', sourceId: 'redis:s:1-0' }]);
    await inbox.close();
    // The tables are those an earlier release wrote (same DDL); take away what this one adds.
    const earlier = new Database(path);
    earlier.exec('DROP TABLE inbox_migration; DROP TABLE inbox_migration_lock');
    earlier.pragma('user_version = 2');
    earlier.close();

    const reopened = await openSqliteInbox({ path, synchronous: 'normal' });
    assert.deepEqual(
      (await reopened.take(10)).map((e) => e.body),
      ['{"name":"kept"}'],
    );
    assert.deepEqual(await reopened.append([{ body: '{"name":"kept"}', sourceId: 'redis:s:1-0' }]), { ok: true, added: 0, duplicates: 1 });
    await reopened.close();
  });

  it('keeps poison bus messages in the inbox file, apart from the inbox', async () => {
    const path = join(root, 'poison.sqlite');
    const inbox = await openSqliteInbox({ path, synchronous: 'normal' });
    const deadLetters = await openSqliteBusDeadLetters({ path, now: () => 42 });
    await deadLetters.add({ sourceId: 'redis:s:9-0', reason: 'malformed_avro', message: 'bad', fields: { type: 'x' }, bytes: Buffer.from([0xff, 0, 1]) });
    assert.equal(await deadLetters.count(), 1);
    assert.equal((await inbox.refreshStats()).depth, 0, 'not an inbox entry');
    await deadLetters.close();
    await inbox.close();
    const file = new Database(path, { readonly: true });
    assert.deepEqual(file.prepare('SELECT source_id, reason, message, fields, bytes, dead_at FROM bus_dead_letters').all(), [
      { source_id: 'redis:s:9-0', reason: 'malformed_avro', message: 'bad', fields: '{"type":"x"}', bytes: Buffer.from([0xff, 0, 1]), dead_at: 42 },
    ]);
    file.close();
  });
});
