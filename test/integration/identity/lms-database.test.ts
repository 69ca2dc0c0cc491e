import assert from 'node:assert/strict';
import { after, before, describe, it, type TestContext } from 'node:test';
import { createLmsDatabaseCourseProvider } from '../../../src/identity/lms-database/course-provider.js';
import { createLmsDatabase, type LmsDatabase } from '../../../src/identity/lms-database/lms-database.js';
import { createLmsDatabaseUserProvider } from '../../../src/identity/lms-database/user-provider.js';
import type { ProviderAnswer, UserIdentity } from '../../../src/identity/providers.js';
import { parseUserKey } from '../../../src/identity/user-key.js';
import { createTestLmsDatabase, seedCourse, seedExternalId, seedTypes, seedUser, skipOrFail, type TestLmsDatabase } from './lms-mariadb.js';

const ALICE_XAPI = '32e08e30-f8ae-4ce2-94a8-c2bfe38a70cb';
const ALICE_CALIPER = '0f4e2c1a-9b8d-4e7f-a6b5-c4d3e2f1a0b9';
const BOB_XAPI = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
const DEMO = 'course-v1:edX+DemoX+Demo_Course';

function found<T>(answer: ProviderAnswer<T>): ReadonlyMap<string, T> {
  assert.ok(answer.ok, answer.ok ? '' : answer.reason);
  return answer.found;
}

describe('LMS database providers (MariaDB, edx-platform tables)', () => {
  let lms: TestLmsDatabase | undefined;
  let unavailable = '';
  let db: LmsDatabase;

  before(async () => {
    const created = await createTestLmsDatabase();
    if ('unavailable' in created) {
      unavailable = created.unavailable;
      return;
    }
    lms = created;
    const types = await seedTypes(lms);
    await seedUser(lms, 1, 'alice');
    await seedUser(lms, 2, 'bob', '');
    await seedUser(lms, 3, '12345');
    await seedUser(lms, 4, '2'); // a numeric username that is also another user's id
    await seedUser(lms, 5, 'Carol');
    await seedExternalId(lms, 1, types['xapi'] as number, ALICE_XAPI);
    await seedExternalId(lms, 1, types['caliper'] as number, ALICE_CALIPER);
    await seedExternalId(lms, 2, types['xapi'] as number, BOB_XAPI);
    await seedExternalId(lms, 2, types['lti'] as number, '11111111-2222-4333-8444-555555555555');
    await seedCourse(lms, DEMO, 'Demonstration Course');
    await seedCourse(lms, 'course-v1:edX+Null+2024', null);
    await seedCourse(lms, 'course-v1:Org+Case+Run', 'Case Course');
    await seedCourse(lms, 'edX/Old/2013', 'Old Style');
    db = createLmsDatabase({ url: lms.readOnlyUrl, poolSize: 2 });
  });

  after(async () => {
    await db?.close();
    await lms?.drop();
  });

  const ready = (t: TestContext): boolean => {
    if (lms === undefined) skipOrFail(t, unavailable);
    return lms !== undefined;
  };

  const users = async (...texts: string[]): Promise<ReadonlyMap<string, UserIdentity>> =>
    found(await createLmsDatabaseUserProvider(db).findUsers(texts.map(parseUserKey)));

  it('reads a user by id: ids of both kinds, 32 hex digits formatted 8-4-4-4-12, and the email', async (t) => {
    if (!ready(t)) return;
    const result = await users('1');
    assert.deepEqual(result.get('1'), {
      userId: 1,
      username: 'alice',
      email: 'alice@example.com',
      anonymousIds: { xapi: ALICE_XAPI, caliper: ALICE_CALIPER },
    });
  });

  it('reads a user by username; an lti id is not an xapi/caliper id; an empty email is no email', async (t) => {
    if (!ready(t)) return;
    const result = await users('bob');
    assert.deepEqual(result.get('bob'), { userId: 2, username: 'bob', anonymousIds: { xapi: BOB_XAPI } });
  });

  it("ERB's get_user order: an id match wins over a numeric username; else the username", async (t) => {
    if (!ready(t)) return;
    const result = await users('2', '12345', ' 1');
    assert.equal(result.get('2')?.username, 'bob');
    assert.equal(result.get('12345')?.userId, 3);
    assert.equal(result.get(' 1')?.userId, 1, 'int(" 1") is 1 in Python');
  });

  it('matches usernames with the database collation, as Django does on MySQL', async (t) => {
    if (!ready(t)) return;
    const result = await users('carol', 'ALICE');
    assert.equal(result.get('carol')?.userId, 5);
    assert.equal(result.get('ALICE')?.userId, 1);
  });

  it('unknown users are absent from the answer (the directory says they do not exist)', async (t) => {
    if (!ready(t)) return;
    const result = await users('nobody', '999');
    assert.equal(result.size, 0);
    assert.equal(createLmsDatabaseUserProvider(db).authoritative, true);
  });

  it('splits long batches into several IN lists', async (t) => {
    if (!ready(t)) return;
    const texts = Array.from({ length: 1_203 }, (_, i) => `ghost-${i}`).concat(['alice', '2']);
    const result = await users(...texts);
    assert.deepEqual([...result.keys()].sort(), ['2', 'alice']);
  });

  it('course names: exact key, null display name, old-style keys; keys compared case-sensitively', async (t) => {
    if (!ready(t)) return;
    const provider = createLmsDatabaseCourseProvider(db);
    const result = found(await provider.findCourses([DEMO, 'course-v1:edX+Null+2024', 'edX/Old/2013', 'course-v1:org+case+run', 'course-v1:X+Y+Z']));
    assert.deepEqual(Object.fromEntries(result), {
      [DEMO]: { displayName: 'Demonstration Course' },
      'course-v1:edX+Null+2024': { displayName: null },
      'edX/Old/2013': { displayName: 'Old Style' },
    });
  });

  it('only SELECT statements pass, on read-only sessions', async (t) => {
    if (!ready(t)) return;
    await assert.rejects(db.select('DELETE FROM auth_user', []), /only SELECT/);
    await assert.rejects(db.select('SELECT 1; DELETE FROM auth_user', []));
    const [session] = await db.select('SELECT @@session.tx_read_only AS read_only', []);
    assert.equal(Number(session?.['read_only']), 1, 'every pooled connection is in a read-only session');
  });

  it('an unreachable database is an unreachable answer, never an exception', async (t) => {
    if (!ready(t)) return;
    const down = createLmsDatabase({ url: 'mysql://root@127.0.0.1:1/none', connectTimeoutMs: 1000 });
    try {
      const userAnswer = await createLmsDatabaseUserProvider(down).findUsers([parseUserKey('1')]);
      assert.equal(userAnswer.ok, false);
      assert.match(userAnswer.ok ? '' : userAnswer.reason, /^lms-database unreachable: .*ECONNREFUSED/);
      const courseAnswer = await createLmsDatabaseCourseProvider(down).findCourses([DEMO]);
      assert.equal(courseAnswer.ok, false);
    } finally {
      await down.close();
    }
  });
});

describe('LMS database providers: ltiFallback on a platform without xapi/caliper types', () => {
  let lms: TestLmsDatabase | undefined;
  let unavailable = '';

  before(async () => {
    const created = await createTestLmsDatabase();
    if ('unavailable' in created) {
      unavailable = created.unavailable;
      return;
    }
    lms = created;
    const types = await seedTypes(lms, ['lti']);
    await seedUser(lms, 7, 'dave');
    await seedExternalId(lms, 7, types['lti'] as number, '99999999-8888-4777-8666-555555555555');
  });

  after(async () => {
    await lms?.drop();
  });

  it('reads lti ids for both kinds only when the fallback is on', async (t) => {
    if (lms === undefined) return skipOrFail(t, unavailable);
    const db = createLmsDatabase({ url: lms.readOnlyUrl });
    try {
      const plain = found(await createLmsDatabaseUserProvider(db).findUsers([parseUserKey('dave')]));
      assert.deepEqual(plain.get('dave')?.anonymousIds, {});
      const fallback = found(await createLmsDatabaseUserProvider(db, { ltiFallback: true }).findUsers([parseUserKey('dave')]));
      const lti = '99999999-8888-4777-8666-555555555555';
      assert.deepEqual(fallback.get('dave')?.anonymousIds, { xapi: lti, caliper: lti });
    } finally {
      await db.close();
    }
  });
});
