import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { openDatabaseCheckpointStore } from '../../../src/replay/database-checkpoint-store.js';
import { lrsAccepts, startFakeLrs } from '../../fakes/fake-lrs.js';
import { cleanEnv, LOOKUPS, logLines, runCli, scratch } from '../replay/support.js';
import { databaseOrSkip } from './test-database.js';

/**
 * Replay checkpoints in PostgreSQL: the store (the SQLite file's behaviour, src/replay/
 * checkpoint-store.test.ts) and `replay` resuming from them, named by --checkpoint or DATABASE_URL.
 */
const db = await databaseOrSkip('replay checkpoints in PostgreSQL need PostgreSQL');

if (db !== undefined) {
  describe('replay checkpoints in PostgreSQL', () => {
    it('saves, updates and reads checkpoints per scope, and survives reopening', async () => {
      const { url } = await db.schema();
      const a = await openDatabaseCheckpointStore(url, 'xapi|lrs-a');
      assert.equal(await a.get('f|1|2'), undefined);
      await a.save({ identity: 'f|1|2', source: 'f', encoding: 'plain', lines: 10, bytes: 500, done: false });
      // Beyond 2^31: a source of several GB.
      await a.save({ identity: 'f|1|2', source: 'f', encoding: 'plain', lines: 20, bytes: 5_000_000_000, done: false });
      await a.close();
      const again = await openDatabaseCheckpointStore(url, 'xapi|lrs-a');
      assert.deepEqual(await again.get('f|1|2'), { identity: 'f|1|2', source: 'f', encoding: 'plain', lines: 20, bytes: 5_000_000_000, done: false });
      const other = await openDatabaseCheckpointStore(url, 'xapi|lrs-b');
      assert.equal(await other.get('f|1|2'), undefined, 'another destination starts over');
      await other.save({ identity: 'g', source: 'g', encoding: 'gzip', lines: 5, bytes: 50, done: true });
      assert.equal(await again.clear(), 1);
      assert.equal(await again.get('f|1|2'), undefined);
      assert.equal((await other.get('g'))?.done, true, '--restart of one scope leaves the others');
      await again.close();
      await other.close();
    });

    for (const via of ['--checkpoint', 'DATABASE_URL'] as const) {
      it(`replay resumes from checkpoints in the database (${via})`, async () => {
        const schema = await db.schema();
        const { url } = schema;
        const dir = scratch('replay-pg');
        const lrs = await startFakeLrs();
        try {
          const file = dir.file('tracking.log', logLines(300).join('\n') + '\n');
          const args = ['replay', file, '--lookups', LOOKUPS, '--lrs-url', lrs.url, '--batch-size', '40', '--no-progress', '--lrs-retry-for', '0'];
          if (via === '--checkpoint') args.push('--checkpoint', url);
          const options = via === 'DATABASE_URL' ? { env: cleanEnv({ DATABASE_URL: url }), cwd: dir.path } : { cwd: dir.path };
          // Three batches get in, then the LRS fails every request.
          lrs.respondWith((request, index) => (index < 3 ? lrsAccepts(request, index) : { status: 503 }));
          const first = await runCli(args, options);
          assert.equal(first.code, 1, first.stderr);
          assert.match(first.stderr, /Run the same command again to resume/);
          const firstIds = lrs.acceptedIds();
          assert.ok(firstIds.length > 0);

          lrs.requests.length = 0;
          lrs.respondWith(lrsAccepts);
          const second = await runCli(args, options);
          assert.equal(second.code, 0, second.stderr);
          assert.match(second.stderr, /1 resumed from a checkpoint/);
          const secondIds = lrs.acceptedIds();
          // What a run without checkpoints makes of the file (the same id may occur twice in it).
          const reference = await runCli(['replay', file, '--lookups', LOOKUPS, '--output', '-', '--no-progress', '--workers', '0']);
          const ids = reference.stdout
            .split('\n')
            .filter(Boolean)
            .map((line) => String(JSON.parse(line).id));
          assert.deepEqual([...firstIds, ...secondIds].sort(), ids.sort(), 'nothing lost, nothing sent twice');
          const rows = await schema.sql('SELECT done FROM replay_checkpoints');
          assert.deepEqual(rows.rows, [{ done: 1 }], 'the checkpoint is in the database');
          assert.equal(existsSync(join(dir.path, 'data')), false, 'and not in a file');
        } finally {
          await lrs.close();
          dir.remove();
        }
      });
    }
  });
}
