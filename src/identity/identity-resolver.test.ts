import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { OpenEdxEvent } from '../core/event.js';
import { createIdentityResolver, type IdentityResolverOptions } from './identity-resolver.js';
import { createMemoryIdentityStore } from './memory-identity-store.js';
import { createCountingMetrics } from './metrics.js';
import type { CourseInfo, CourseProvider, UserIdentity, UserProvider } from './providers.js';
import type { UserKey } from './user-key.js';

const ID_A = '11111111-1111-4111-8111-111111111111';
const ID_B = '22222222-2222-4222-8222-222222222222';
const COURSE = 'course-v1:edX+DemoX+Demo_Course';

function pick<T>(table: Record<string, T>, texts: readonly string[]): Map<string, T> {
  const result = new Map<string, T>();
  for (const text of texts) {
    const value = table[text];
    if (value !== undefined) result.set(text, value);
  }
  return result;
}

/** A provider answering from a table; `down` makes it unreachable; `asked` records each batch. */
function tableUsers(name: string, table: Record<string, UserIdentity>, authoritative = false) {
  const provider = {
    name,
    authoritative,
    down: false,
    asked: [] as string[][],
    async findUsers(keys: readonly UserKey[]) {
      provider.asked.push(keys.map((k) => k.text));
      if (provider.down) return { ok: false as const, reason: `${name} unreachable: down` };
      return {
        ok: true as const,
        found: pick(
          table,
          keys.map((k) => k.text),
        ),
      };
    },
  } satisfies UserProvider & Record<string, unknown>;
  return provider;
}

function tableCourses(name: string, table: Record<string, CourseInfo>) {
  const provider = {
    name,
    down: false,
    asked: 0,
    async findCourses(ids: readonly string[]) {
      provider.asked++;
      if (provider.down) return { ok: false as const, reason: `${name} unreachable: down` };
      return { ok: true as const, found: pick(table, ids) };
    },
  } satisfies CourseProvider & Record<string, unknown>;
  return provider;
}

const event = (user: string | number | undefined, courseId = COURSE): OpenEdxEvent => ({
  name: 'edx.video.played',
  context: { ...(user !== undefined ? { user_id: user } : {}), course_id: courseId },
  data: {},
});

const base = (overrides: Partial<IdentityResolverOptions>): IdentityResolverOptions => ({
  userProviders: [],
  courseProviders: [],
  kinds: ['xapi'],
  missingIdPolicy: 'drop',
  ...overrides,
});

describe('createIdentityResolver', () => {
  it('asks providers in order; the first answer wins field by field; a complete user is not asked further', async () => {
    const first = tableUsers('file', { '5': { email: 'five@example.com', anonymousIds: { xapi: ID_A } } });
    const second = tableUsers('db', { '5': { userId: 5, username: 'bob', anonymousIds: { xapi: ID_B, caliper: ID_B } } }, true);
    const resolver = createIdentityResolver(base({ userProviders: [first, second], kinds: ['xapi', 'caliper'] }));
    const batch = await resolver.resolve([event(5)]);
    assert.equal(batch.ready, true);
    assert.equal(batch.lookups.anonymousId('5', 'xapi'), ID_A);
    assert.equal(batch.lookups.anonymousId('5', 'caliper'), ID_B);
    assert.equal(batch.lookups.email('5'), 'five@example.com');

    const xapiOnly = createIdentityResolver(base({ userProviders: [first, second] }));
    await xapiOnly.resolve([event(5)]);
    assert.equal(second.asked.length, 1, 'second provider not asked once the first completes the user');
  });

  it('mint: a user without an id gets a uuid4 once, kept in the local store; the LMS is never written', async () => {
    const store = createMemoryIdentityStore();
    const carol = { userId: 7, username: 'carol', anonymousIds: {} };
    const db = tableUsers('lms-database', { '7': carol, carol }, true);
    const metrics = createCountingMetrics();
    const options = base({ userProviders: [db], missingIdPolicy: 'mint', store, metrics, kinds: ['xapi', 'caliper'] });
    const batch = await createIdentityResolver(options).resolve([event(7), event('carol')]);
    assert.equal(batch.ready, true);
    const minted = batch.lookups.anonymousId('7', 'xapi');
    assert.match(minted ?? '', /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(batch.lookups.anonymousId('carol', 'xapi'), minted, 'the same user by id or username');
    assert.notEqual(batch.lookups.anonymousId('7', 'caliper'), minted);
    assert.deepEqual(metrics.counts.minted, { xapi: 1, caliper: 1 });
    const rows = [];
    for await (const row of store.list()) rows.push(row);
    assert.deepEqual(
      rows.map((r) => [r.userId, r.username, r.kind]),
      [
        [7, 'carol', 'xapi'],
        [7, 'carol', 'caliper'],
      ],
    );
    // A new process (empty cache) finds the kept id instead of minting another.
    const again = await createIdentityResolver(options).resolve([event(7)]);
    assert.equal(again.lookups.anonymousId('7', 'xapi'), minted);
  });

  it('a user the directory does not know is dropped (ERB), never minted', async () => {
    const store = createMemoryIdentityStore();
    const db = tableUsers('lms-database', {}, true);
    const batch = await createIdentityResolver(base({ userProviders: [db], missingIdPolicy: 'mint', store })).resolve([event(99)]);
    assert.equal(batch.ready, true);
    assert.equal(batch.lookups.anonymousId('99', 'xapi'), undefined);
  });

  it('without a directory, any named user is minted (the embedded default)', async () => {
    const store = createMemoryIdentityStore();
    const batch = await createIdentityResolver(base({ missingIdPolicy: 'mint', store })).resolve([event('dave')]);
    assert.ok(batch.lookups.anonymousId('dave', 'xapi'));
  });

  it('drop: a known user without an id resolves ready, and the transformer drops it as unknown_user', async () => {
    const db = tableUsers('lms-database', { '7': { userId: 7, username: 'carol', anonymousIds: {} } }, true);
    const batch = await createIdentityResolver(base({ userProviders: [db] })).resolve([event(7)]);
    assert.deepEqual(batch.outcomes, [{ ready: true }]);
    assert.equal(batch.lookups.anonymousId('7', 'xapi'), undefined);
  });

  it('wait: the event stays queued until the LMS has an id (re-asked after the negative TTL)', async () => {
    let now = 0;
    const table: Record<string, UserIdentity> = { '7': { userId: 7, anonymousIds: {} } };
    const db = tableUsers('lms-database', table, true);
    const resolver = createIdentityResolver(
      base({ userProviders: [db], missingIdPolicy: 'wait', retryAfterMs: 5_000, cache: { negativeTtlMs: 1_000 }, now: () => now }),
    );
    const first = await resolver.resolve([event(7)]);
    assert.equal(first.ready, false);
    assert.deepEqual(first.outcomes[0], {
      ready: false,
      retryable: true,
      reason: 'user "7" has no xapi anonymous id yet (policy: wait)',
      retryAfterMs: 5_000,
    });
    table['7'] = { userId: 7, anonymousIds: { xapi: ID_A } };
    assert.equal((await resolver.resolve([event(7)])).ready, false, 'still cached as waiting');
    now = 1_001;
    const later = await resolver.resolve([event(7)]);
    assert.equal(later.ready, true);
    assert.equal(later.lookups.anonymousId('7', 'xapi'), ID_A);
  });

  it('an unreachable provider makes the event retryable unless a later provider completes it', async () => {
    const local = tableUsers('local-store', { alice: { anonymousIds: { xapi: ID_A } } });
    const db = tableUsers('lms-database', {}, true);
    db.down = true;
    const metrics = createCountingMetrics();
    const resolver = createIdentityResolver(base({ userProviders: [db, local], metrics }));
    const batch = await resolver.resolve([event('alice'), event('bob')]);
    assert.equal(batch.outcomes[0]?.ready, true);
    assert.equal(batch.outcomes[1]?.ready, false);
    assert.match((batch.outcomes[1] as { reason: string }).reason, /lms-database unreachable/);
    assert.equal(metrics.counts.providerErrors['lms-database'], 1);
    // Nothing about bob was cached: the next attempt asks again and succeeds.
    db.down = false;
    Object.assign(db, {});
    const retried = await resolver.resolve([event('bob')]);
    assert.equal(retried.ready, true);
    assert.equal(db.asked.at(-1)?.[0], 'bob');
  });

  it('mint failing in the store is retryable, not a loss', async () => {
    const store = createMemoryIdentityStore();
    store.mint = () => Promise.reject(new Error('disk full'));
    const batch = await createIdentityResolver(base({ missingIdPolicy: 'mint', store })).resolve([event('erin')]);
    assert.equal(batch.ready, false);
    assert.match((batch.outcomes[0] as { reason: string }).reason, /disk full/);
  });

  it('counts one hit or miss per event lookup', async () => {
    const metrics = createCountingMetrics();
    const db = tableUsers('lms-database', { '1': { userId: 1, anonymousIds: { xapi: ID_A } } }, true);
    const courses = tableCourses('lms-database', { [COURSE]: { displayName: 'Demo' } });
    const resolver = createIdentityResolver(base({ userProviders: [db], courseProviders: [courses], metrics }));
    await resolver.resolve([event(1), event(1)]);
    await resolver.resolve([event(1), event(undefined)]);
    assert.deepEqual(metrics.counts.hits, { user: 1, course: 2 });
    assert.deepEqual(metrics.counts.misses, { user: 2, course: 2 });
    assert.equal(db.asked.length, 1);
  });

  it('concurrent resolves of the same user share one provider call', async () => {
    const db = tableUsers('lms-database', { '1': { userId: 1, anonymousIds: { xapi: ID_A } } }, true);
    const resolver = createIdentityResolver(base({ userProviders: [db] }));
    const [a, b] = await Promise.all([resolver.resolve([event(1)]), resolver.resolve([event(1)])]);
    assert.equal(a.lookups.anonymousId('1', 'xapi'), ID_A);
    assert.equal(b.lookups.anonymousId('1', 'xapi'), ID_A);
    assert.equal(db.asked.length, 1);
  });

  it("a batch larger than the cache keeps its answers pinned in the batch's lookups", async () => {
    const table = Object.fromEntries([1, 2, 3].map((i) => [String(i), { userId: i, anonymousIds: { xapi: `${ID_A.slice(0, -1)}${i}` } }]));
    const resolver = createIdentityResolver(base({ userProviders: [tableUsers('db', table, true)], cache: { maxEntries: 1 } }));
    const batch = await resolver.resolve([event(1), event(2), event(3)]);
    for (const i of [1, 2, 3]) assert.equal(batch.lookups.anonymousId(String(i), 'xapi'), `${ID_A.slice(0, -1)}${i}`);
    assert.equal(resolver.lookups.anonymousId('1', 'xapi'), undefined, 'evicted from the shared cache');
  });

  it('course names: first provider that knows the course; unknown → undefined (ready); unreachable → retryable', async () => {
    const file = tableCourses('lookups-file', {});
    const api = tableCourses('lms-api', { [COURSE]: { displayName: 'Demonstration Course' }, 'course-v1:A+B+C': { displayName: null } });
    const resolver = createIdentityResolver(base({ courseProviders: [file, api] }));
    const batch = await resolver.resolve([event(undefined), event(undefined, 'course-v1:A+B+C'), event(undefined, 'course-v1:X+Y+Z')]);
    assert.equal(batch.ready, true);
    assert.equal(batch.lookups.courseName(COURSE), 'Demonstration Course');
    assert.equal(batch.lookups.courseName('course-v1:A+B+C'), undefined);
    assert.equal(batch.lookups.courseName('course-v1:X+Y+Z'), undefined);
    api.down = true;
    const down = await resolver.resolve([event(undefined, 'course-v1:New+Course+1'), event(undefined)]);
    assert.deepEqual(
      down.outcomes.map((o) => o.ready),
      [false, true],
      'the cached course is still served while the API is down',
    );
  });

  it('an event that names no user and no course is ready at once', async () => {
    const batch = await createIdentityResolver(base({})).resolve([{ name: 'x', context: {} }]);
    assert.deepEqual(batch.outcomes, [{ ready: true }]);
  });

  it('refuses the mint policy without a store', () => {
    assert.throws(() => createIdentityResolver(base({ missingIdPolicy: 'mint' })), /needs the local identity store/);
  });
});
