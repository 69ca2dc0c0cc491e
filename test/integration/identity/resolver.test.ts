import assert from 'node:assert/strict';
import { after, before, describe, it, type TestContext } from 'node:test';
import type { OpenEdxEvent } from '../../../src/core/event.js';
import { createIdentityFromSettings } from '../../../src/identity/create-identity.js';
import type { IdentityResolver } from '../../../src/identity/identity-resolver.js';
import { createMemoryIdentityStore } from '../../../src/identity/memory-identity-store.js';
import { createCountingMetrics } from '../../../src/identity/metrics.js';
import type { IdentitySettings, MissingIdPolicy } from '../../../src/identity/settings.js';
import type { LocalIdentityStore } from '../../../src/identity/local-store-port.js';
import type { Lookups } from '../../../src/transforms/shared/lookups.js';
import { createTransformContext } from '../../../src/transforms/shared/transform-settings.js';
import { transformEvent } from '../../../src/transforms/transform-event.js';
import { startFakeLms, type FakeLms } from '../../fakes/fake-lms.js';
import {
  createTestLmsDatabase,
  externalIdCount,
  MARIADB,
  seedCourse,
  seedExternalId,
  seedTypes,
  seedUser,
  skipOrFail,
  type TestLmsDatabase,
} from './lms-mariadb.js';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.js';

const LMS_URL = 'http://localhost:18000';
const ALICE_XAPI = '32e08e30-f8ae-4ce2-94a8-c2bfe38a70cb';
const ALICE_CALIPER = '0f4e2c1a-9b8d-4e7f-a6b5-c4d3e2f1a0b9';
const DEMO = 'course-v1:edX+DemoX+Demo_Course';
const API_ONLY = 'course-v1:edX+ApiOnly+2024';

function enrollment(user: number | string, courseId = DEMO): OpenEdxEvent {
  return {
    name: 'edx.course.enrollment.activated',
    timestamp: '2024-01-01T10:00:00.000000+00:00',
    context: { course_id: courseId, user_id: user, org_id: 'edX', path: '/api/enrollment/v1/enrollment' },
    data: { course_id: courseId, user_id: user, mode: 'audit' },
    event_source: 'server',
  };
}

function xapi(event: OpenEdxEvent, lookups: Lookups) {
  return transformEvent(
    'xapi',
    event,
    createTransformContext({ lmsUrl: LMS_URL, transformerVersion: 'edx-event-router@test', ifiType: 'external_id', compat: 'valid', lookups }),
  );
}

describe('identity resolution against the LMS (MariaDB + fake LMS REST API)', () => {
  let lms: TestLmsDatabase | undefined;
  let unavailable = '';
  let proxy: TcpProxy;
  let api: FakeLms;
  let typeIds: Record<string, number>;

  before(async () => {
    const created = await createTestLmsDatabase();
    if ('unavailable' in created) {
      unavailable = created.unavailable;
      return;
    }
    lms = created;
    typeIds = await seedTypes(lms);
    await seedUser(lms, 1, 'alice');
    await seedUser(lms, 2, 'bob');
    await seedUser(lms, 3, 'carol');
    await seedExternalId(lms, 1, typeIds['xapi'] as number, ALICE_XAPI);
    await seedExternalId(lms, 1, typeIds['caliper'] as number, ALICE_CALIPER);
    await seedCourse(lms, DEMO, 'Demonstration Course');
    proxy = await startTcpProxy(MARIADB.host, MARIADB.port);
    api = await startFakeLms({ courses: { [API_ONLY]: 'Only In The API', [DEMO]: 'API name (unused)' } });
  });

  after(async () => {
    await proxy?.close();
    await api?.close();
    await lms?.drop();
  });

  const ready = (t: TestContext): boolean => {
    if (lms === undefined) skipOrFail(t, unavailable);
    return lms !== undefined;
  };

  /** The router's account through the outage-capable proxy: SELECT-only on the test database. */
  const settings = (policy: MissingIdPolicy, overrides: Partial<IdentitySettings> = {}): IdentitySettings => {
    const url = new URL((lms as TestLmsDatabase).readOnlyUrl);
    url.port = String(proxy.port);
    return {
      userSources: ['local-store', 'lms-database'],
      courseSources: ['lms-database', 'lms-api'],
      missingIdPolicy: policy,
      kinds: ['xapi', 'caliper'],
      cache: { ttlMs: 60_000, negativeTtlMs: 1_000, maxEntries: 1_000 },
      retryAfterMs: 2_000,
      lmsDatabase: { url: url.toString(), poolSize: 2, connectTimeoutMs: 10_000, queryTimeoutMs: 10_000 },
      lmsApi: { baseUrl: api.url, clientId: api.clientId, clientSecret: api.clientSecret, timeoutMs: 10_000 },
      ...overrides,
    };
  };

  const open = (policy: MissingIdPolicy, store: LocalIdentityStore = createMemoryIdentityStore(), overrides = {}) =>
    createIdentityFromSettings(settings(policy, overrides), { store, metrics: createCountingMetrics() });

  it("the actor is the learner's existing ExternalId; the course name is the CourseOverview's", async (t) => {
    if (!ready(t)) return;
    const resolver = open('drop');
    try {
      const events = [enrollment(1), enrollment('1'), enrollment('alice')];
      const batch = await resolver.resolve(events);
      assert.equal(batch.ready, true);
      for (const event of events) {
        const outcome = xapi(event, batch.lookups);
        assert.ok(outcome.ok, outcome.ok ? '' : outcome.message);
        const statement = outcome.statements[0] as { actor: { account: { name: string } }; object: { definition: { name: Record<string, string> } } };
        assert.equal(statement.actor.account.name, ALICE_XAPI);
        assert.equal(statement.object.definition.name['en'], 'Demonstration Course');
      }
      assert.equal(batch.lookups.anonymousId('1', 'caliper'), ALICE_CALIPER);
    } finally {
      await resolver.shutdown();
    }
  });

  it('a course the LMS database lacks is read from the REST API (next in the chain)', async (t) => {
    if (!ready(t)) return;
    const resolver = open('drop');
    try {
      const batch = await resolver.resolve([enrollment(1, API_ONLY)]);
      assert.equal(batch.ready, true);
      assert.equal(batch.lookups.courseName(API_ONLY), 'Only In The API');
      assert.equal(batch.lookups.courseName(DEMO), undefined, 'not asked: not in this batch');
    } finally {
      await resolver.shutdown();
    }
  });

  it('drop (ERB): a user with no ExternalId, or no account, is skipped as unknown_user', async (t) => {
    if (!ready(t)) return;
    const resolver = open('drop');
    try {
      const batch = await resolver.resolve([enrollment(2), enrollment(404)]);
      assert.equal(batch.ready, true);
      for (const event of [enrollment(2), enrollment(404)]) {
        const outcome = xapi(event, batch.lookups);
        assert.equal(outcome.ok ? 'ok' : outcome.reason, 'unknown_user');
      }
    } finally {
      await resolver.shutdown();
    }
  });

  it('mint: a uuid4 kept locally, stable across restarts, and nothing written to the LMS', async (t) => {
    if (!ready(t)) return;
    const store = createMemoryIdentityStore();
    const rowsBefore = await externalIdCount(lms as TestLmsDatabase);
    const first = open('mint', store);
    const second = open('mint', store);
    try {
      const batch = await first.resolve([enrollment(2), enrollment('bob'), enrollment(404)]);
      const minted = batch.lookups.anonymousId('2', 'xapi');
      assert.match(minted ?? '', /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      assert.equal(batch.lookups.anonymousId('bob', 'xapi'), minted);
      assert.equal(batch.lookups.anonymousId('404', 'xapi'), undefined, 'no account in the LMS: never minted');
      const again = await second.resolve([enrollment('bob')]);
      assert.equal(again.lookups.anonymousId('bob', 'xapi'), minted);
      assert.equal(await externalIdCount(lms as TestLmsDatabase), rowsBefore);
    } finally {
      await first.shutdown();
      await second.shutdown();
    }
  });

  it('wait: the event is held until the LMS gives the user an id (ERB still running alongside)', async (t) => {
    if (!ready(t)) return;
    let now = 0;
    const resolver = createIdentityFromSettings(settings('wait'), { store: createMemoryIdentityStore(), now: () => now });
    try {
      const held = await resolver.resolve([enrollment(3)]);
      assert.equal(held.ready, false);
      assert.match((held.outcomes[0] as { reason: string }).reason, /user "3" has no xapi\/caliper anonymous id yet/);
      const carol = '5b1c6f7e-0d2a-4e3b-9c8d-7a6b5c4d3e2f';
      await seedExternalId(lms as TestLmsDatabase, 3, typeIds['xapi'] as number, carol);
      await seedExternalId(lms as TestLmsDatabase, 3, typeIds['caliper'] as number, '6c2d7f8a-1e3b-4f4c-8d9e-8b7c6d5e4f3a');
      now += 1_001;
      const released = await resolver.resolve([enrollment(3)]);
      assert.equal(released.ready, true);
      assert.equal(released.lookups.anonymousId('3', 'xapi'), carol);
    } finally {
      await resolver.shutdown();
    }
  });

  it('an LMS outage never loses an event: it stays pending, is retried, and resolves once the LMS is back', async (t) => {
    if (!ready(t)) return;
    const metrics = createCountingMetrics();
    const resolver: IdentityResolver = createIdentityFromSettings(settings('mint'), { store: createMemoryIdentityStore(), metrics });
    try {
      // Warm the pool, then take the database down under it.
      assert.equal((await resolver.resolve([enrollment(1)])).ready, true);
      await proxy.down();
      api.mode = 'error';
      // The pipeline's view: pending events stay queued while the outcome is retryable.
      let pending = [enrollment('alice'), enrollment(2, API_ONLY)];
      const down = await resolver.resolve(pending);
      assert.deepEqual(
        down.outcomes.map((o) => o.ready),
        [false, false],
      );
      for (const outcome of down.outcomes) {
        assert.ok(!outcome.ready && outcome.retryable && outcome.retryAfterMs === 2_000);
        assert.match(outcome.reason, /lms-(database|api) unreachable/);
      }
      assert.ok((metrics.counts.providerErrors['lms-database'] ?? 0) >= 1);
      assert.ok((metrics.counts.providerErrors['lms-api'] ?? 0) >= 1);
      // The cached user of the first resolve is still served during the outage.
      assert.equal((await resolver.resolve([enrollment(1)])).ready, true);

      await proxy.up();
      api.mode = 'up';
      const delivered: string[] = [];
      for (let attempt = 0; attempt < 3 && pending.length > 0; attempt++) {
        const batch = await resolver.resolve(pending);
        pending = pending.filter((event, i) => {
          if (!batch.outcomes[i]?.ready) return true;
          const outcome = xapi(event, batch.lookups);
          assert.ok(outcome.ok, outcome.ok ? '' : outcome.message);
          delivered.push(JSON.stringify(outcome.statements[0]));
          return false;
        });
      }
      assert.equal(pending.length, 0);
      assert.equal(delivered.length, 2);
      assert.ok(delivered[0]?.includes(ALICE_XAPI));
      assert.ok(delivered[1]?.includes('Only In The API'));
    } finally {
      await proxy.up();
      api.mode = 'up';
      await resolver.shutdown();
    }
  });
});
