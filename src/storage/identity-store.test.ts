import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { openControlPlaneDatabase } from './database.js';
import { SqliteIdentityStore } from './identity-store.js';

const dataDir = mkdtempSync(join(tmpdir(), 'edx-router-identity-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));

describe('SqliteIdentityStore (Lookups)', () => {
  it('mints one UUID per (user, kind) on first sight and keeps it across restarts', async () => {
    await (await openControlPlaneDatabase({ dataDir })).close();
    const first = SqliteIdentityStore.open(dataDir);
    const xapi = first.anonymousId('42', 'xapi');
    const caliper = first.anonymousId('42', 'caliper');
    const byName = first.anonymousId('edx', 'xapi');
    assert.match(xapi ?? '', /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.notEqual(xapi, caliper);
    assert.notEqual(xapi, byName);
    assert.equal(first.anonymousId('42', 'xapi'), xapi);
    first.close();

    const second = SqliteIdentityStore.open(dataDir);
    const concurrent = SqliteIdentityStore.open(dataDir);
    assert.equal(concurrent.anonymousId('42', 'xapi'), xapi, 'another connection sees the same id');
    assert.equal(second.anonymousId('42', 'xapi'), xapi);
    assert.equal(second.anonymousId('edx', 'xapi'), byName);
    assert.equal(second.email(), undefined);
    assert.equal(second.courseName(), undefined);
    second.close();
    concurrent.close();
  });

  it('with minting off, answers only for known users', () => {
    const store = SqliteIdentityStore.open(dataDir, { mint: false });
    assert.equal(store.anonymousId('never-seen', 'xapi'), undefined);
    assert.ok(store.anonymousId('42', 'xapi'));
    assert.equal(store.anonymousId('', 'xapi'), undefined);
    store.close();
  });
});
