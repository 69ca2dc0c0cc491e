import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, describe, it, type TestContext } from 'node:test';
import { Redis } from 'ioredis';
import { createTestDatabase, testServer } from '../postgres/test-database.js';
import { pendingCount, PrivateRedis, redisServerAvailable } from '../redis-streams/redis-support.js';
import { addRouter, eventually, metric, scratch, waitForRouters, type RunningService } from '../service/support.js';
import { startCheckingLrs } from './checking-lrs.js';
import { busEvents, expectedStatements, holdBacklog, publishAll, releaseBacklog, startInstance, type InstanceOptions } from './cluster.js';

/**
 * Issue 6 acceptance: Redis restarted during consumption; consumption resumes, nothing is lost.
 * The machine's shared Redis keeps nothing on disk (a restart would lose the stream), so this
 * test runs a private redis-server of its own (random port, append-only file, fsync always)
 * and restarts that one while two `serve` instances on one PostgreSQL database consume from it.
 */
const BEFORE = 3000;
const AFTER = 500;
const dir = scratch('redis-restart');
const redisServer = new PrivateRedis();
const running: RunningService[] = [];
after(async () => {
  for (const service of running) if (service?.child.exitCode === null) await service.stop('SIGKILL');
  await redisServer.destroy();
  dir.remove();
});

/** The group's `entries-read` (XINFO GROUPS, Redis 7): how far the instances have read the stream. */
async function entriesRead(client: Redis, stream: string, group: string): Promise<number> {
  const groups = (await client.xinfo('GROUPS', stream)) as unknown[][];
  for (const fields of groups) {
    const info = new Map<unknown, unknown>();
    for (let i = 0; i + 1 < fields.length; i += 2) info.set(String(fields[i]), fields[i + 1]);
    if (info.get('name') === group) return Number(info.get('entries-read') ?? 0);
  }
  return 0;
}

function missing(t: TestContext, reason: string): void {
  if (process.env['CI'] === 'true') throw new Error(`${reason} (CI=true: integration services must be available)`);
  process.stderr.write(`# skipping "${t.name}": ${reason}\n`);
  t.skip(reason);
}

describe('scale-out: Redis restarted during consumption', () => {
  it('two serve instances resume after the restart; every statement delivered, none lost', { timeout: 10 * 60_000 }, async (t) => {
    if (!redisServerAvailable()) return missing(t, 'redis-server is not installed');
    const pg = await testServer();
    if (!pg.ok) return missing(t, pg.reason);
    await redisServer.start();
    const db = await createTestDatabase(pg.adminUrl);
    const lrs = await startCheckingLrs();
    const stream = `restart-${randomUUID()}`;
    const group = 'scale_out';
    const options: InstanceOptions = {
      dir: dir.path,
      databaseUrl: db.url,
      busUrl: `${redisServer.url}?stream=${stream}&group=${group}`,
    };
    const client = new Redis(redisServer.url, { maxRetriesPerRequest: null });
    client.on('error', () => undefined);
    try {
      const events = busEvents(BEFORE + AFTER);
      const expected = expectedStatements(events);
      // The first part waits in the stream until the instances are ready, then Redis stops as
      // soon as they have read a tenth of it.
      await publishAll(client, stream, events.slice(0, BEFORE));
      await holdBacklog(client, stream, group);
      const instances = await Promise.all(['a', 'b'].map((name) => startInstance(name, options)));
      running.push(...instances);
      const [first] = instances;
      assert.ok(first);
      await addRouter(first.url, { backend: 'xapi', routeUrl: lrs.url });
      for (const service of instances) await waitForRouters(service.url, 1);
      await releaseBacklog(client, stream, group);
      await eventually(
        async () => (await entriesRead(client, stream, group)) >= BEFORE / 10,
        5 * 60_000,
        () => 'a tenth of the entries read',
      );
      const readBeforeStop = await entriesRead(client, stream, group);
      await redisServer.stop();
      const whileDown = lrs.distinct();
      assert.ok(readBeforeStop < BEFORE, `Redis went down in the middle of consumption (${readBeforeStop} of ${BEFORE} entries read)`);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      for (const service of instances) assert.equal(service.child.exitCode, null, 'the instances keep running while Redis is down');
      await redisServer.start();

      // Entries produced after the restart are consumed too.
      await publishAll(client, stream, events.slice(BEFORE));
      await eventually(
        () => lrs.distinct() >= expected.size,
        5 * 60_000,
        () => `${expected.size} statements (have ${lrs.distinct()}; a: ${first.stderr().slice(-2000)})`,
      );
      await eventually(
        async () => (await pendingCount(client, stream, group)) === 0,
        30_000,
        () => 'every entry acknowledged',
      );
      assert.equal(await client.xlen(stream), BEFORE + AFTER, 'the stream survived the restart');
      let failures = 0;
      for (const service of instances) failures += await metric(service.url, 'edx_event_router_bus_failures_total');
      assert.ok(failures > 0, 'the outage was seen and counted');
      for (const service of instances) assert.equal((await service.stop('SIGTERM')).code, 0, service.stderr());

      const seen = lrs.digests();
      for (const [id, digest] of expected) {
        assert.equal(seen.get(id)?.digest, digest, `statement ${id} delivered as transform makes it`);
        assert.equal(seen.get(id)?.differing, 0, `every copy of ${id} is the same statement`);
      }
      assert.equal(seen.size, expected.size, 'no statement that transform does not make');
      const left = await db.sql('SELECT (SELECT count(*) FROM inbox)::int AS inbox, (SELECT count(*) FROM outbox)::int AS outbox');
      assert.deepEqual(left.rows[0], { inbox: 0, outbox: 0 });
      t.diagnostic(
        `Redis stopped with ${readBeforeStop} of ${BEFORE} entries read and ${whileDown} of ${expected.size} statements delivered; ` +
          `${lrs.received() - expected.size} repeats`,
      );
    } finally {
      client.disconnect();
      await lrs.close();
    }
  });
});
