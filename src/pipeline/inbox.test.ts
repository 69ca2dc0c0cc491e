import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { openSqliteInbox } from './inbox.js';

const dir = mkdtempSync(join(tmpdir(), 'inbox-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const fresh = (options: { maxDepth?: number; now?: () => number } = {}) => openSqliteInbox({ path: join(dir, `inbox-${++files}.sqlite`), synchronous: 'normal', ...options });
const bodies = (n: number, from = 0) => Array.from({ length: n }, (_, i) => ({ body: `{"name":"e${i + from}"}` }));

describe('SQLite inbox', () => {
  it('I01 takes entries in acceptance order, each once, and deletes what is done', async () => {
    const inbox = fresh();
    assert.deepEqual(await inbox.append(bodies(5)), { ok: true, added: 5, duplicates: 0 });
    const first = inbox.take(3);
    assert.deepEqual(first.map((e) => e.body), ['{"name":"e0"}', '{"name":"e1"}', '{"name":"e2"}']);
    assert.deepEqual(inbox.take(10).map((e) => e.body), ['{"name":"e3"}', '{"name":"e4"}'], 'entries in processing are not taken again');
    inbox.complete({ done: first.map((e) => e.seq), deferred: [] });
    assert.equal(inbox.stats().depth, 2);
    inbox.close();
  });

  it('I02 refuses a whole append beyond maxDepth (nothing stored)', async () => {
    const inbox = fresh({ maxDepth: 4 });
    assert.equal((await inbox.append(bodies(3))).ok, true);
    assert.deepEqual(await inbox.append(bodies(2)), { ok: false, reason: 'queue_overflow', depth: 3, maxDepth: 4 });
    assert.equal(inbox.stats().depth, 3);
    assert.equal((await inbox.append(bodies(1))).ok, true);
    inbox.close();
  });

  it('I03 appends of one turn share a transaction, each all or nothing', async () => {
    const inbox = fresh({ maxDepth: 5 });
    const outcomes = await Promise.all([inbox.append(bodies(2)), inbox.append(bodies(2)), inbox.append(bodies(2))]);
    assert.deepEqual(outcomes.map((o) => o.ok), [true, true, false]);
    assert.equal(inbox.stats().depth, 4);
    inbox.close();
  });

  it('I04 a deferred entry comes back when due, with its attempts counted', async () => {
    let now = 1000;
    const inbox = fresh({ now: () => now });
    await inbox.append(bodies(2));
    const [a, b] = inbox.take(2);
    assert.ok(a && b);
    inbox.complete({ done: [b.seq], deferred: [{ seq: a.seq, at: 5000, error: 'LMS down' }] });
    assert.deepEqual(inbox.take(10), []);
    assert.equal(inbox.stats().deferred, 1);
    assert.equal(inbox.stats().nextDueAt, 5000);
    now = 5000;
    const again = inbox.take(10);
    assert.equal(again.length, 1);
    assert.equal(again[0]?.attempts, 1);
    inbox.close();
  });

  it('I05 rewind: after a failed batch the same entries are taken again', async () => {
    const inbox = fresh();
    await inbox.append(bodies(3));
    assert.equal(inbox.take(3).length, 3);
    inbox.rewind();
    assert.equal(inbox.take(3).length, 3);
    inbox.close();
  });

  it('I06 a bus message still waiting (same sourceId) is not stored twice', async () => {
    const inbox = fresh();
    assert.deepEqual(await inbox.append([{ body: '{"name":"a"}', sourceId: 'redis:s:1-0' }]), { ok: true, added: 1, duplicates: 0 });
    assert.deepEqual(await inbox.append([{ body: '{"name":"a"}', sourceId: 'redis:s:1-0' }, { body: '{"name":"b"}', sourceId: 'redis:s:2-0' }]), {
      ok: true,
      added: 1,
      duplicates: 1,
    });
    inbox.close();
  });

  it('I07 survives reopening: what was appended is there for the next process', async () => {
    const path = join(dir, 'reopen.sqlite');
    const first = openSqliteInbox({ path });
    await first.append(bodies(3));
    first.close();
    const second = openSqliteInbox({ path });
    assert.equal(second.take(10).length, 3);
    assert.equal(second.stats().depth, 3);
    second.close();
  });

  it('I08 keeps poison bus messages with their bytes', async () => {
    const inbox = fresh();
    await inbox.addBusDeadLetter({ sourceId: 'redis:s:9-0', reason: 'malformed_avro', message: 'bad', fields: { type: 'x' }, bytes: Buffer.from([1, 2]) });
    assert.equal(inbox.stats().busDeadLetters, 1);
    inbox.close();
    assert.throws(() => inbox.take(1), /closed/);
  });

  it('I09 a read position is committed with the events it follows, and not when they are refused', async () => {
    const inbox = fresh({ maxDepth: 3 });
    const at = (offset: number) => ({ path: '/logs/tracking.log', dev: '2049', ino: '18446744073709551000', offset });
    assert.deepEqual(await inbox.readPositions(), []);
    assert.equal((await inbox.append(bodies(2), at(40))).ok, true);
    assert.equal((await inbox.append(bodies(2, 2), at(80))).ok, false);
    assert.deepEqual(await inbox.readPositions(), [at(40)], 'the refused append left the position where it was');
    assert.equal((await inbox.append([], at(0))).ok, true, 'a position alone (a rotation) is stored even at the bound');
    assert.deepEqual(await inbox.readPositions(), [at(0)]);
    assert.equal(inbox.stats().depth, 2);
    inbox.close();
  });
});
