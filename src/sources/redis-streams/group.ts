import type { Redis } from 'ioredis';
import type { BusLag } from '../event-bus/observer.js';

/**
 * Creates the consumer group at the start of the stream (id 0, MKSTREAM) when it is missing.
 * Unlike edx-event-bus-redis, an existing group is never moved to `$`: entries produced while
 * the router was down are still consumed.
 */
export async function ensureGroup(client: Redis, stream: string, group: string): Promise<'created' | 'existing'> {
  try {
    await client.xgroup('CREATE', stream, group, '0', 'MKSTREAM');
    return 'created';
  } catch (error) {
    if (error instanceof Error && error.message.startsWith('BUSYGROUP')) return 'existing';
    throw error;
  }
}

/** True for the error Redis returns when the stream or group vanished (e.g. a restart without persistence). */
export function isNoGroupError(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('NOGROUP');
}

/** The group's lag (Redis ≥ 7.0; absent when Redis cannot tell) and pending count from XINFO GROUPS. */
export async function readGroupLag(client: Redis, stream: string, group: string): Promise<BusLag | undefined> {
  const reply = await client.call('XINFO', 'GROUPS', stream);
  if (!Array.isArray(reply)) return undefined;
  for (const item of reply) {
    if (!Array.isArray(item)) continue;
    const info = new Map<string, unknown>();
    for (let i = 0; i + 1 < item.length; i += 2) info.set(String(item[i]), item[i + 1]);
    if (String(info.get('name')) !== group) continue;
    const lag: BusLag = {};
    const pending = info.get('pending');
    const undelivered = info.get('lag');
    if (typeof pending === 'number') lag.pending = pending;
    if (typeof undelivered === 'number') lag.undelivered = undelivered;
    return lag;
  }
  return undefined;
}
