import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it, type TestContext } from 'node:test';
import type mysql from 'mysql2/promise';
import { createExternalIdWriter, externalIdKey } from '../../../src/identity/lms-database/external-id-writer.js';
import { formatExternalId } from '../../../src/transforms/shared/external-id.js';
import { startFakeLrs, statementsOf, type FakeLrs, wasAccepted } from '../../fakes/fake-lrs.js';
import { repoRoot } from '../../support/paths.js';
import { addRouter, baseSettings, call, eventually, metric, scratch, startService, waitForRouters, type RunningService } from '../service/support.js';
import { createTestLmsDatabase, MARIADB, seedExternalId, seedTypes, seedUser, skipOrFail, type TestLmsDatabase } from './lms-mariadb.js';

/**
 * EVENT_ROUTER_IDENTITY_LMS_WRITE against MariaDB with edx-platform's tables: learners without
 * an external id get one created in the LMS table, once per kind, whichever instance gets there
 * first; the other re-reads and sends the same id.
 */
const LEARNERS = 1000;
const FIRST_ID = 1000;
const dir = scratch('lms-write');

let lms: TestLmsDatabase | undefined;
let unavailable = '';
let writerUrl = '';
let writerUser = '';
let types: Record<string, number> = {};

before(async () => {
  const created = await createTestLmsDatabase();
  if ('unavailable' in created) {
    unavailable = created.unavailable;
    return;
  }
  lms = created;
  types = await seedTypes(lms, ['xapi', 'caliper', 'lti']);
  // The account the issue describes: it reads the LMS tables and may INSERT into ExternalId only.
  writerUser = `edx_router_rw_${randomBytes(5).toString('hex')}`;
  const password = randomBytes(12).toString('hex');
  for (const host of ['%', 'localhost']) {
    await lms.admin.query(`CREATE USER '${writerUser}'@'${host}' IDENTIFIED BY '${password}'`);
    await lms.admin.query(`GRANT SELECT ON ${lms.name}.* TO '${writerUser}'@'${host}'`);
    await lms.admin.query(`GRANT INSERT ON ${lms.name}.external_user_ids_externalid TO '${writerUser}'@'${host}'`);
  }
  writerUrl = `mysql://${writerUser}:${password}@${MARIADB.host}:${MARIADB.port}/${lms.name}`;
});

after(async () => {
  if (lms !== undefined) {
    for (const host of ['%', 'localhost']) await lms.admin.query(`DROP USER IF EXISTS '${writerUser}'@'${host}'`);
    await lms.drop();
  }
  dir.remove();
});

const ready = (t: TestContext): boolean => {
  if (lms === undefined) skipOrFail(t, unavailable);
  return lms !== undefined;
};

/** user id → type name → the ids stored (all of them, to see any second row). */
async function storedIds(db: TestLmsDatabase, userIds: readonly number[]): Promise<Map<number, Map<string, string[]>>> {
  const [rows] = await db.admin.query<mysql.RowDataPacket[]>(
    'SELECT e.user_id, t.name, e.external_user_id FROM external_user_ids_externalid e JOIN external_user_ids_externalidtype t ON t.id = e.external_id_type_id WHERE e.user_id IN (?)',
    [userIds],
  );
  const out = new Map<number, Map<string, string[]>>();
  for (const row of rows) {
    const byType = out.get(Number(row['user_id'])) ?? new Map<string, string[]>();
    const list = byType.get(String(row['name'])) ?? [];
    list.push(formatExternalId(String(row['external_user_id'])) ?? 'not a uuid');
    byType.set(String(row['name']), list);
    out.set(Number(row['user_id']), byType);
  }
  return out;
}

describe('the external-id writer (MariaDB)', () => {
  it('creates what is missing as edx-platform does: 32 hex digits, UTC timestamps, the type read from the types table', async (t) => {
    if (!ready(t) || lms === undefined) return;
    await seedUser(lms, 1, 'w-one');
    const writer = createExternalIdWriter({ url: writerUrl });
    try {
      const answer = await writer.getOrCreate([
        { userId: 1, type: 'xapi' },
        { userId: 1, type: 'nosuchtype' },
      ]);
      assert.ok(answer.ok, answer.ok ? '' : answer.reason);
      const [rows] = await lms.admin.query<mysql.RowDataPacket[]>(
        'SELECT external_user_id, external_id_type_id, TIMESTAMPDIFF(SECOND, created, UTC_TIMESTAMP()) AS age, created = modified AS same FROM external_user_ids_externalid WHERE user_id = 1',
      );
      assert.equal(rows.length, 1, 'one row; a type the LMS lacks is not created');
      const row = rows[0] as mysql.RowDataPacket;
      assert.match(String(row['external_user_id']), /^[0-9a-f]{32}$/);
      assert.equal(String(row['external_user_id'])[12], '4', 'a uuid4');
      assert.equal(row['external_id_type_id'], types['xapi']);
      assert.ok(Math.abs(Number(row['age'])) < 120, `created in UTC (age ${row['age']} s)`);
      assert.equal(Number(row['same']), 1);
      assert.equal(answer.ids.get(externalIdKey(1, 'xapi')), formatExternalId(String(row['external_user_id'])));
      assert.equal(answer.created.get('xapi'), 1);
    } finally {
      await writer.close();
    }
  });

  it('the loser of a race re-reads: an id already there (the LMS or another instance made it) is kept and returned', async (t) => {
    if (!ready(t) || lms === undefined) return;
    await seedUser(lms, 2, 'w-two');
    const existing = '5d2f7c4e-8a1b-4c3d-9e0f-a1b2c3d4e5f6';
    await seedExternalId(lms, 2, types['caliper'] as number, existing);
    const writer = createExternalIdWriter({ url: writerUrl });
    try {
      const answer = await writer.getOrCreate([{ userId: 2, type: 'caliper' }]);
      assert.ok(answer.ok);
      assert.equal(answer.ids.get(externalIdKey(2, 'caliper')), existing);
      assert.equal(answer.created.get('caliper'), 0, 'nothing created by this writer');
    } finally {
      await writer.close();
    }
  });

  it('two writers creating for the same 200 learners at once end with one id each, and both return it', async (t) => {
    if (!ready(t) || lms === undefined) return;
    const userIds = Array.from({ length: 200 }, (_, i) => 100 + i);
    for (const id of userIds) await seedUser(lms, id, `race-${id}`);
    const writers = [createExternalIdWriter({ url: writerUrl }), createExternalIdWriter({ url: writerUrl })];
    try {
      const requests = userIds.flatMap((userId) => [
        { userId, type: 'xapi' },
        { userId, type: 'caliper' },
      ]);
      // In slices, interleaved, so that the two writers really meet on the same rows.
      const answers = await Promise.all(
        writers.map(async (writer, w) => {
          const ids = new Map<string, string>();
          let created = 0;
          for (let i = 0; i < requests.length; i += 40) {
            const slice = w === 0 ? requests.slice(i, i + 40) : requests.slice(i, i + 40).reverse();
            const answer = await writer.getOrCreate(slice);
            assert.ok(answer.ok, answer.ok ? '' : answer.reason);
            for (const [key, id] of answer.ids) ids.set(key, id);
            for (const n of answer.created.values()) created += n;
          }
          return { ids, created };
        }),
      );
      const stored = await storedIds(lms, userIds);
      for (const userId of userIds) {
        for (const type of ['xapi', 'caliper']) {
          const rows = stored.get(userId)?.get(type) ?? [];
          assert.equal(rows.length, 1, `user ${userId} ${type}`);
          for (const answer of answers) assert.equal(answer.ids.get(externalIdKey(userId, type)), rows[0]);
        }
      }
      assert.equal((answers[0]?.created ?? 0) + (answers[1]?.created ?? 0), requests.length, 'each row created by exactly one writer');
    } finally {
      await Promise.all(writers.map((w) => w.close()));
    }
  });
});

function sampleEvent(name: string): Record<string, unknown> {
  const line = readFileSync(join(repoRoot(), 'samples', 'events.ndjson'), 'utf8')
    .split('\n')
    .find((l) => l.includes(`"name":"${name}"`) && l.includes('"user_id":3'));
  if (line === undefined) throw new Error(`no sample ${name}`);
  return JSON.parse(line) as Record<string, unknown>;
}

/** Learner `userId`'s copy of a sample event, with its own timestamp (so its own statement id). */
function eventFor(sample: Record<string, unknown>, userId: number, variant: number): string {
  const event = structuredClone(sample);
  const data = event['data'] as Record<string, unknown>;
  data['user_id'] = userId;
  data['username'] = `learner-${userId}`;
  const micro = String(userId * 10 + variant).padStart(6, '0');
  event['timestamp'] = String(event['timestamp']).replace(/(T\d\d:\d\d:\d\d)(\.\d+)?/, `$1.${micro}`);
  return JSON.stringify(event);
}

describe('two serve instances with EVENT_ROUTER_IDENTITY_LMS_WRITE and 1,000 new learners', () => {
  const running: RunningService[] = [];
  let lrs: FakeLrs | undefined;
  after(async () => {
    for (const service of running) if (service?.child.exitCode === null) await service.stop('SIGKILL');
    await lrs?.close();
  });

  it('each learner ends with exactly one id of each kind, and every statement carries it', { timeout: 10 * 60_000 }, async (t) => {
    if (!ready(t) || lms === undefined) return;
    const userIds = Array.from({ length: LEARNERS }, (_, i) => FIRST_ID + i);
    for (const id of userIds) await seedUser(lms, id, `learner-${id}`);
    lrs = await startFakeLrs();
    const sample = sampleEvent('edx.course.enrollment.activated');
    const instances: RunningService[] = [];
    for (const name of ['a', 'b']) {
      const service = await startService(
        dir.path,
        {
          ...baseSettings(join(dir.path, `data-${name}`)),
          EVENT_ROUTER_IDENTITY_SOURCES: ['lms-database'],
          EVENT_ROUTER_LMS_DATABASE_URL: writerUrl,
          EVENT_ROUTER_IDENTITY_LMS_WRITE: true,
          EVENT_ROUTER_MISSING_ID_POLICY: 'drop',
          CALIPER_EVENTS_ENABLED: true,
        },
        { name, timeoutMs: 120_000 },
      );
      running.push(service);
      instances.push(service);
      assert.doesNotMatch(service.stderr(), /warning: the anonymous ids/, 'no warning: the ids sent are the LMS');
      assert.match(service.stderr(), /created in the LMS/);
      await addRouter(service.url, { backend: 'xapi', routeUrl: `${lrs.url}xapi/` });
      await addRouter(service.url, { backend: 'caliper', routeUrl: `${lrs.url}caliper` });
      await waitForRouters(service.url, 2, 60_000);
    }
    // Every learner's first event goes to both instances at the same moment, in chunks.
    const post = async (service: RunningService, variant: number): Promise<void> => {
      for (let i = 0; i < userIds.length; i += 100) {
        const body = userIds
          .slice(i, i + 100)
          .map((id) => eventFor(sample, id, variant))
          .join('\n');
        const answer = await call(service.url, 'POST', '/events', body, { token: null, contentType: 'application/x-ndjson' });
        assert.equal(answer.status, 202, answer.text);
      }
    };
    await Promise.all(instances.map((service, i) => post(service, i)));

    const delivered = (path: string): unknown[] => lrs!.requests.filter((r) => r.url.startsWith(path) && wasAccepted(r)).flatMap((r) => statementsOf(r.body));
    const distinct = (items: unknown[]): Map<string, Record<string, unknown>> =>
      new Map(items.map((s) => [String((s as { id: unknown }).id), s as Record<string, unknown>]));
    await eventually(
      () => distinct(delivered('/xapi/')).size >= 2 * LEARNERS && distinct(delivered('/caliper')).size >= 2 * LEARNERS,
      5 * 60_000,
      () => `${2 * LEARNERS} xAPI statements and Caliper events (have ${distinct(delivered('/xapi/')).size}, ${distinct(delivered('/caliper')).size})`,
    );

    const stored = await storedIds(lms, userIds);
    const lmsId = new Map<string, number>();
    for (const userId of userIds) {
      for (const type of ['xapi', 'caliper']) {
        const rows = stored.get(userId)?.get(type) ?? [];
        assert.equal(rows.length, 1, `learner ${userId} has exactly one ${type} id`);
        lmsId.set(`${type}:${rows[0]}`, userId);
      }
    }
    const carried = new Map<number, number>();
    for (const statement of distinct(delivered('/xapi/')).values()) {
      const name = String((statement['actor'] as { account?: { name?: unknown } }).account?.name);
      const userId = lmsId.get(`xapi:${name}`);
      assert.ok(userId !== undefined, `xAPI actor ${name} is not a learner's LMS xapi id`);
      carried.set(userId, (carried.get(userId) ?? 0) + 1);
    }
    for (const event of distinct(delivered('/caliper')).values()) {
      const actor = String((event['actor'] as { id?: unknown }).id);
      const userId = lmsId.get(`caliper:${actor.slice(actor.lastIndexOf('/') + 1)}`);
      assert.ok(userId !== undefined, `Caliper actor ${actor} is not a learner's LMS caliper id`);
      carried.set(userId, (carried.get(userId) ?? 0) + 1);
    }
    for (const userId of userIds) assert.equal(carried.get(userId), 4, `learner ${userId}: 2 statements and 2 Caliper events`);

    // Each id was created once, by one of the two instances (the other re-read it).
    let created = 0;
    for (const service of instances) created += await metric(service.url, 'edx_event_router_identity_minted_total');
    assert.equal(created, 2 * LEARNERS);
    t.diagnostic(`ids created per instance: ${(await Promise.all(instances.map((s) => metric(s.url, 'edx_event_router_identity_minted_total')))).join(',')}`);
    for (const service of instances) assert.equal((await service.stop('SIGTERM')).code, 0, service.stderr());
  });
});
