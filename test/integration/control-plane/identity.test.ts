import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { buildLookups, chainLookups, identityStoreOptions } from '../../../src/app/lookups.js';
import { loadSettings } from '../../../src/config/load.js';
import { openControlPlaneDatabase } from '../../../src/storage/database.js';
import { SqliteIdentityStore } from '../../../src/storage/identity-store.js';
import { EMPTY_LOOKUPS } from '../../../src/transforms/shared/lookups.js';
import { tempDir } from './support.js';

const dir = tempDir();
after(() => dir.remove());

const FILE_ID = '32e08e30-f8ae-4ce2-94a8-c2bfe38a70cb';

function settingsWith(env: Record<string, string>) {
  const lookupsFile = join(dir.path, 'lookups.json');
  writeFileSync(
    lookupsFile,
    JSON.stringify({
      users: { edx: { anonymousId: FILE_ID, email: 'edx@example.com' } },
      courses: { 'course-v1:edX+DemoX+Demo_Course': { displayName: 'Demonstration Course' } },
    }),
  );
  const loaded = loadSettings({ env: { EVENT_ROUTER_DATA_DIR: dir.path, EVENT_ROUTER_LOOKUPS_FILE: lookupsFile, ...env } });
  assert.ok(loaded.ok);
  return loaded.settings;
}

describe('lookups on the embedded default: lookups file + local identity store', () => {
  it('file first (default): known users from the file, others minted once and kept', async () => {
    await (await openControlPlaneDatabase({ dataDir: dir.path })).close();
    const store = SqliteIdentityStore.open(dir.path);
    const lookups = buildLookups(settingsWith({}), store);
    assert.equal(lookups.anonymousId('edx', 'xapi'), FILE_ID);
    assert.equal(lookups.email('edx'), 'edx@example.com');
    const minted = lookups.anonymousId('7', 'xapi');
    assert.ok(minted && minted !== FILE_ID);
    assert.equal(lookups.anonymousId('7', 'xapi'), minted);
    assert.equal(lookups.courseName('course-v1:edX+DemoX+Demo_Course'), 'Demonstration Course');
    assert.equal(lookups.courseName('course-v1:unknown+x+y'), undefined, 'the transformer falls back to the course id');
    store.close();
  });

  it('local store first: the store wins, even for users the file knows', () => {
    const store = SqliteIdentityStore.open(dir.path);
    const lookups = buildLookups(settingsWith({ EVENT_ROUTER_IDENTITY_SOURCES: 'local-store,lookups-file' }), store);
    const id = lookups.anonymousId('edx', 'xapi');
    assert.ok(id && id !== FILE_ID);
    assert.equal(lookups.email('edx'), 'edx@example.com', 'emails still come from the file');
    store.close();
  });

  it('file only, or drop policy: unknown users stay unknown (ERB drops their events)', () => {
    const fileOnly = settingsWith({ EVENT_ROUTER_IDENTITY_SOURCES: 'lookups-file' });
    const minting = SqliteIdentityStore.open(dir.path, identityStoreOptions(fileOnly));
    assert.equal(buildLookups(fileOnly, minting).anonymousId('new-user', 'xapi'), undefined);
    minting.close();
    const drop = settingsWith({ EVENT_ROUTER_MISSING_ID_POLICY: 'drop' });
    assert.deepEqual(identityStoreOptions(drop), { mint: false });
    const reading = SqliteIdentityStore.open(dir.path, identityStoreOptions(drop));
    assert.equal(buildLookups(drop, reading).anonymousId('new-user', 'xapi'), undefined);
    assert.ok(buildLookups(drop, reading).anonymousId('7', 'xapi'), 'ids kept earlier are still found');
    reading.close();
  });

  it('chainLookups: first defined answer wins', () => {
    const a = { ...EMPTY_LOOKUPS, courseName: (id: string) => (id === 'c' ? 'A' : undefined) };
    const b = { ...EMPTY_LOOKUPS, courseName: () => 'B' };
    const chain = chainLookups([a, b]);
    assert.equal(chain.courseName('c'), 'A');
    assert.equal(chain.courseName('d'), 'B');
    assert.equal(chainLookups([]).anonymousId('u', 'xapi'), undefined);
  });
});
