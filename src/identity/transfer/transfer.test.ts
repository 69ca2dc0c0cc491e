import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, describe, it } from 'node:test';
import type { StoredIdentity } from '../local-store-port.js';
import { createMemoryIdentityStore } from '../memory-identity-store.js';
import { csvLine, splitCsvLine } from './csv.js';
import { formatFromName } from './identity-rows.js';
import { exportIdentities, importIdentities, readIdentityFile } from './transfer.js';

const ROWS: StoredIdentity[] = [
  { userId: 1, username: 'alice', kind: 'xapi', anonymousId: '32e08e30-f8ae-4ce2-94a8-c2bfe38a70cb' },
  { userId: 1, username: 'alice', kind: 'caliper', anonymousId: '0f4e2c1a-9b8d-4e7f-a6b5-c4d3e2f1a0b9' },
  { username: 'odd, "quoted" name', kind: 'xapi', anonymousId: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee' },
  { userId: 9, kind: 'caliper', anonymousId: '11111111-2222-4333-8444-555555555555' },
];

const dir = mkdtempSync(join(tmpdir(), 'identity-transfer-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function exported(format: 'csv' | 'ndjson'): Promise<string> {
  const out = new PassThrough();
  const chunks: string[] = [];
  out.on('data', (c: Buffer) => chunks.push(c.toString('utf8')));
  const count = await exportIdentities(createMemoryIdentityStore(ROWS), format, out);
  assert.equal(count, ROWS.length);
  return chunks.join('');
}

describe('identities export/import files', () => {
  for (const format of ['csv', 'ndjson'] as const) {
    it(`${format}: round-trips every row`, async () => {
      const path = join(dir, `ids.${format}`);
      writeFileSync(path, await exported(format));
      const read = await readIdentityFile(path, format);
      assert.ok(read.ok, read.ok ? '' : read.errors.join('\n'));
      assert.deepEqual(read.rows, ROWS);
    });
  }

  it('csv: header, then RFC 4180 quoting', async () => {
    const text = await exported('csv');
    assert.equal(text.split('\n')[0], 'user_id,username,kind,anonymous_id');
    assert.equal(csvLine(ROWS[2] as StoredIdentity), ',"odd, ""quoted"" name",xapi,aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee');
    assert.deepEqual(splitCsvLine('a,"b,""c""",d'), ['a', 'b,"c"', 'd']);
    assert.equal(splitCsvLine('"open'), undefined);
  });

  it('accepts 32-hex ids as the LMS stores them, and columns in any order', async () => {
    const path = join(dir, 'hex.csv');
    writeFileSync(path, 'kind,anonymous_id,username,user_id\r\nxapi,32E08E30F8AE4CE294A8C2BFE38A70CB,alice,1\r\n');
    const read = await readIdentityFile(path, 'csv');
    assert.ok(read.ok);
    assert.deepEqual(read.rows, [ROWS[0]]);
  });

  it('reports every bad line with its number and imports nothing', async () => {
    const path = join(dir, 'bad.ndjson');
    writeFileSync(
      path,
      [
        '{"user_id":1,"username":"a","kind":"xapi","anonymous_id":"32e08e30-f8ae-4ce2-94a8-c2bfe38a70cb"}',
        '{"user_id":"x","kind":"xapi","anonymous_id":"32e08e30-f8ae-4ce2-94a8-c2bfe38a70cb"}',
        '{"username":"b","kind":"lti","anonymous_id":"32e08e30-f8ae-4ce2-94a8-c2bfe38a70cb"}',
        '{"kind":"xapi","anonymous_id":"32e08e30-f8ae-4ce2-94a8-c2bfe38a70cb"}',
        '{"username":"c","kind":"xapi","anonymous_id":"nope"}',
        'not json',
      ].join('\n'),
    );
    const read = await readIdentityFile(path, 'ndjson');
    assert.equal(read.ok, false);
    assert.deepEqual(read.ok ? [] : read.errors.map((e) => e.replace(`${path}:`, '')), [
      '2: user_id "x" is not a positive integer',
      '3: kind must be one of xapi, caliper',
      '4: a row needs a user_id or a username',
      '5: anonymous_id must be a UUID',
      '6: not JSON: Unexpected token \'o\', "not json" is not valid JSON',
    ]);
  });

  it('import: new rows inserted, equal rows unchanged, conflicts skipped or replaced', async () => {
    const store = createMemoryIdentityStore([ROWS[0] as StoredIdentity]);
    const other = { ...(ROWS[0] as StoredIdentity), anonymousId: '99999999-8888-4777-8666-555555555555' };
    assert.deepEqual(await importIdentities(store, [ROWS[0] as StoredIdentity, ROWS[1] as StoredIdentity, other], 'skip'), {
      inserted: 1,
      unchanged: 1,
      conflicts: 1,
    });
    const found = await store.find([{ text: 'alice', id: 1 }]);
    assert.equal(found.get('alice')?.find((r) => r.kind === 'xapi')?.anonymousId, ROWS[0]?.anonymousId);
    await importIdentities(store, [other], 'replace');
    const replaced = await store.find([{ text: 'alice', id: 1 }]);
    assert.equal(replaced.get('alice')?.find((r) => r.kind === 'xapi')?.anonymousId, other.anonymousId);
  });

  it('tells the format from the file name', () => {
    assert.equal(formatFromName('ids.CSV'), 'csv');
    assert.equal(formatFromName('ids.jsonl'), 'ndjson');
    assert.equal(formatFromName('ids.txt'), undefined);
  });
});
