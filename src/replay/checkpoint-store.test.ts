import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { openCheckpointStore } from './checkpoint-store.js';

describe('openCheckpointStore', () => {
  const dir = mkdtempSync(join(tmpdir(), 'checkpoints-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('saves, updates and reads checkpoints per scope, and survives reopening', async () => {
    const path = join(dir, 'sub', 'cp.db');
    const a = await openCheckpointStore(path, 'xapi|lrs-a');
    assert.equal(a.get('f|1|2'), undefined);
    a.save({ identity: 'f|1|2', source: 'f', encoding: 'plain', lines: 10, bytes: 500, done: false });
    a.save({ identity: 'f|1|2', source: 'f', encoding: 'plain', lines: 20, bytes: 900, done: false });
    a.close();
    const again = await openCheckpointStore(path, 'xapi|lrs-a');
    assert.deepEqual(again.get('f|1|2'), { identity: 'f|1|2', source: 'f', encoding: 'plain', lines: 20, bytes: 900, done: false });
    const other = await openCheckpointStore(path, 'xapi|lrs-b');
    assert.equal(other.get('f|1|2'), undefined, 'another destination starts over');
    other.save({ identity: 'g', source: 'g', encoding: 'gzip', lines: 5, bytes: 50, done: true });
    assert.equal(again.clear(), 1);
    assert.equal(again.get('f|1|2'), undefined);
    assert.equal(other.get('g')?.done, true, '--restart of one scope leaves the others');
    again.close();
    other.close();
  });
});
