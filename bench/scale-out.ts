import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { createRedisPublisher } from '../src/sources/redis-streams/publisher.js';
import { startCheckingLrs } from '../test/integration/scale-out/checking-lrs.js';
import { busEvents, expectedStatements, holdBacklog, publishAll, releaseBacklog, startInstance } from '../test/integration/scale-out/cluster.js';
import { addRouter, waitForRouters, type RunningService } from '../test/integration/service/support.js';

export interface ScaleOutRun {
  instances: number;
  events: number;
  statements: number;
  seconds: number;
  /** Events per second from the release of the backlog to the last statement acknowledged by the LRS. */
  perSecond: number;
}

export type ScaleOutOutcome = { ok: true; runs: ScaleOutRun[] } | { ok: false; reason: string };

const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379/0';
const POSTGRES_URL = process.env['TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const GROUP = 'bench_scale';

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * One run: `instances` `serve` processes on a fresh PostgreSQL database share one consumer group.
 * The stream is filled first and the group created at its end, so the instances start idle; the
 * clock starts when the group is moved back to the beginning (XGROUP SETID 0, then one more
 * entry wakes the blocked readers) and stops when the LRS has every statement.
 */
async function runOnce(redis: Redis, instances: number, events: ReturnType<typeof busEvents>, statements: number): Promise<ScaleOutRun> {
  const name = `edx_router_bench_${randomBytes(6).toString('hex')}`;
  const stream = `bench-scale-${randomBytes(6).toString('hex')}`;
  const dir = mkdtempSync(join(tmpdir(), 'bench-scale-'));
  const lrs = await startCheckingLrs({ digest: false });
  const services: RunningService[] = [];
  await admin((client) => client.query(`CREATE DATABASE ${name}`));
  try {
    const url = new URL(POSTGRES_URL);
    url.pathname = `/${name}`;
    const backlog = events.slice(0, -1);
    await publishAll(redis, stream, backlog);
    await holdBacklog(redis, stream, GROUP);
    // BENCH_SCALE_SETTINGS: JSON settings over the instances' own, e.g. {"EVENT_ROUTER_PIPELINE_THREAD": false}.
    const settings = JSON.parse(process.env['BENCH_SCALE_SETTINGS'] ?? '{}') as Record<string, unknown>;
    const options = { dir, databaseUrl: url.toString(), busUrl: `${REDIS_URL}?stream=${stream}&group=${GROUP}`, settings };
    services.push(...(await Promise.all(Array.from({ length: instances }, (_, i) => startInstance(`i${i}`, options)))));
    const first = services[0] as RunningService;
    await addRouter(first.url, { backend: 'xapi', routeUrl: lrs.url });
    for (const service of services) await waitForRouters(service.url, 1);

    const started = Date.now();
    await releaseBacklog(redis, stream, GROUP);
    const publisher = createRedisPublisher({ client: redis, stream, maxLen: 0 });
    await publisher.publish(events.slice(-1));
    while (lrs.distinct() < statements) {
      if (Date.now() - started > 30 * 60_000) throw new Error(`the LRS got ${lrs.distinct()} of ${statements} statements`);
      const exited = services.find((s) => s.child.exitCode !== null);
      if (exited) throw new Error(`an instance exited: ${exited.stderr()}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const seconds = (lrs.lastAt() - started) / 1000;
    return { instances, events: events.length, statements, seconds, perSecond: events.length / seconds };
  } finally {
    await Promise.all(services.map((s) => (s.child.exitCode === null ? s.stop('SIGTERM') : undefined)));
    await redis.del(stream).catch(() => undefined);
    await lrs.close();
    await admin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Events/s from a Redis stream to an LRS on loopback, PostgreSQL as the store, per instance count. */
export async function measureScaleOut(events: number, instanceCounts: readonly number[] = [1, 3]): Promise<ScaleOutOutcome> {
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 2000 });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    redis.disconnect();
    return { ok: false, reason: `no Redis at ${REDIS_URL}: ${(error as Error).message}` };
  }
  try {
    await admin((client) => client.query('SELECT 1'));
  } catch (error) {
    redis.disconnect();
    return { ok: false, reason: `PostgreSQL unreachable at ${POSTGRES_URL.replace(/\/\/[^@]*@/, '//…@')}: ${(error as Error).message}` };
  }
  try {
    const list = busEvents(events);
    const statements = expectedStatements(list).size;
    const runs: ScaleOutRun[] = [];
    for (const instances of instanceCounts) runs.push(await runOnce(redis, instances, list, statements));
    return { ok: true, runs };
  } finally {
    redis.disconnect();
  }
}
