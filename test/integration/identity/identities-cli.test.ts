import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { main } from '../../../src/cli/main.js';
import { openSqliteLocalStore } from '../../../src/identity/sqlite-local-store.js';
import { parseUserKey } from '../../../src/identity/user-key.js';
import { openControlPlaneDatabase } from '../../../src/storage/database.js';

const A = '32e08e30-f8ae-4ce2-94a8-c2bfe38a70cb';
const B = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';

describe('edx-event-router identities export|import (two deployments)', () => {
  const root = mkdtempSync(join(tmpdir(), 'identities-cli-'));
  const source = join(root, 'source');
  const target = join(root, 'target');
  after(() => rmSync(root, { recursive: true, force: true }));

  async function run(...argv: string[]): Promise<number> {
    process.exitCode = undefined;
    const code = await main(argv);
    process.exitCode = undefined;
    return code;
  }

  for (const format of ['csv', 'ndjson'] as const) {
    it(`moves every kept id as ${format}, and a second import changes nothing`, async () => {
      const from = `${source}-${format}`;
      const to = `${target}-${format}`;
      const database = await openControlPlaneDatabase({ dataDir: from, secretKey: undefined });
      await database.close();
      const seeded = openSqliteLocalStore(from);
      await seeded.mint({ userId: 1, username: 'alice' }, 'xapi', A);
      await seeded.mint({ username: 'bob' }, 'caliper', B);
      await seeded.close();

      const file = join(root, `ids.${format}`);
      assert.equal(await run('identities', 'export', '--data-dir', from, '--output', file), 0);
      const text = readFileSync(file, 'utf8');
      if (format === 'csv') assert.equal(text, `user_id,username,kind,anonymous_id\n1,alice,xapi,${A}\n,bob,caliper,${B}\n`);
      else assert.equal(text.split('\n')[0], `{"user_id":1,"username":"alice","kind":"xapi","anonymous_id":"${A}"}`);

      assert.equal(await run('identities', 'import', file, '--data-dir', to), 0);
      assert.equal(await run('identities', 'import', file, '--data-dir', to), 0);
      const imported = openSqliteLocalStore(to);
      try {
        const found = await imported.find([parseUserKey('1'), parseUserKey('bob')]);
        assert.equal(found.get('1')?.[0]?.anonymousId, A);
        assert.equal(found.get('bob')?.[0]?.anonymousId, B);
        let count = 0;
        for await (const _ of imported.list()) count++;
        assert.equal(count, 2);
      } finally {
        await imported.close();
      }
    });
  }

  it('a file with a bad line imports nothing and exits 1', async () => {
    const file = join(root, 'bad.csv');
    writeFileSync(file, `user_id,username,kind,anonymous_id\n1,alice,xapi,${A}\n2,bob,lti,${B}\n`);
    const dir = join(root, 'bad-target');
    assert.equal(await run('identities', 'import', file, '--data-dir', dir), 1);
  });

  it('an unknown file type is a usage error (exit 2)', async () => {
    const file = join(root, 'ids.txt');
    writeFileSync(file, '');
    assert.equal(await run('identities', 'import', file, '--data-dir', join(root, 'x')), 2);
  });
});
