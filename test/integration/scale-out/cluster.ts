import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { normalizeEvent, type OpenEdxEvent } from '../../../src/core/event.js';
import { eventToTrackingLog, trackingLogToEvent } from '../../../src/sources/event-bus/tracking-log-event.js';
import { createRedisPublisher } from '../../../src/sources/redis-streams/publisher.js';
import { buildEvents, serviceContext, transformed } from '../service/events.js';
import { baseSettings, call, eventually, startService, type RunningService } from '../service/support.js';
import { statementDigest } from './checking-lrs.js';

/**
 * Several `serve` instances (real child processes) on one PostgreSQL database and one Redis
 * stream: the scale-out acceptance test and the `scale` benchmark share this. Nothing here
 * imports node:test, so the benchmark can use it.
 */

export const SECRET_KEY = 'cd'.repeat(32);

/** `count` distinct live-shape events (data, timestamp), as edx-platform puts them on the bus. */
export function busEvents(count: number): OpenEdxEvent[] {
  return buildEvents(count).flatMap((raw) => {
    const normalized = normalizeEvent(raw);
    return normalized.ok ? [normalized.event] : [];
  });
}

/**
 * id → digest of every xAPI statement the service must deliver for these events: `transform`'s
 * output for each event as it comes off the bus (name, Python isoformat timestamp, data, context).
 */
export function expectedStatements(events: readonly OpenEdxEvent[]): Map<string, string> {
  const ctx = serviceContext();
  const expected = new Map<string, string>();
  for (const event of events) {
    const decoded = trackingLogToEvent(eventToTrackingLog(event));
    if (!decoded.ok) continue;
    for (const statement of transformed('xapi', decoded.value, ctx)) expected.set(String(statement['id']), statementDigest(statement));
  }
  return expected;
}

/**
 * Publishes with the test publisher (entries byte for byte as edx-platform writes them), in
 * chunks with several XADDs in flight, and no trimming: every entry stays until consumed.
 * `between(i)` runs after chunk i (to add other entries mid-stream).
 */
export async function publishAll(
  client: Redis,
  stream: string,
  events: readonly OpenEdxEvent[],
  options: { chunk?: number; inFlight?: number; between?: (chunkIndex: number) => Promise<void> } = {},
): Promise<void> {
  const chunk = options.chunk ?? 1000;
  const inFlight = options.inFlight ?? 8;
  const publisher = createRedisPublisher({ client, stream, maxLen: 0 });
  const chunks: OpenEdxEvent[][] = [];
  for (let i = 0; i < events.length; i += chunk) chunks.push(events.slice(i, i + chunk));
  for (let i = 0; i < chunks.length; i++) {
    // Within a chunk the XADDs run in `inFlight` interleaved lanes on one connection (pipelined).
    const part = chunks[i] ?? [];
    const lanes = Array.from({ length: inFlight }, (_, lane) => part.filter((_, n) => n % inFlight === lane));
    await Promise.all(lanes.map((lane) => publisher.publish(lane)));
    await options.between?.(i);
  }
  await publisher.close();
}

/**
 * Creates the consumer group at the end of the stream: instances started now find nothing to
 * read, so routers can be set up before any event is routed (an event routed to no router is
 * not delivered). `releaseBacklog` then moves the group back to the first entry.
 */
export async function holdBacklog(client: Redis, stream: string, group: string): Promise<void> {
  await client.xgroup('CREATE', stream, group, '$', 'MKSTREAM');
}

/** Readers blocked in XREADGROUP see the backlog on their next read (at most their block time). */
export async function releaseBacklog(client: Redis, stream: string, group: string): Promise<void> {
  await client.xgroup('SETID', stream, group, '0');
}

export interface InstanceOptions {
  /** Scratch folder: settings files and one data directory per instance. */
  dir: string;
  databaseUrl: string;
  /** Redis URL with `stream` and `group` (the consumer name is added per instance). */
  busUrl: string;
  /** Settings over the defaults below. */
  settings?: Record<string, unknown>;
}

/** The settings of instance `name`: its own data directory (the inbox) and Redis consumer name. */
export function instanceSettings(name: string, options: InstanceOptions): Record<string, unknown> {
  const bus = new URL(options.busUrl);
  bus.searchParams.set('consumer', name);
  return {
    ...baseSettings(join(options.dir, `data-${name}`)),
    DATABASE_URL: options.databaseUrl,
    EVENT_ROUTER_SECRET_KEY: SECRET_KEY,
    EVENT_ROUTER_BUS_URL: bus.toString(),
    ...options.settings,
  };
}

/** Starts `serve` as instance `name` and waits until it has joined the consumer group. */
export async function startInstance(name: string, options: InstanceOptions): Promise<RunningService> {
  // Generous: three processes starting at once on a busy 2-core machine.
  const service = await startService(options.dir, instanceSettings(name, options), { name, timeoutMs: 180_000 });
  await eventually(
    async () => (await call(service.url, 'GET', '/readyz', undefined, { token: null }).catch(() => undefined))?.status === 200,
    30_000,
    () => `${name} ready (joined the group): ${service.stderr()}`,
  );
  return service;
}
