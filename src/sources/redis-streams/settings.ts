import { hostname } from 'node:os';
import { DEFAULT_BACKOFF, type BackoffSettings } from '../event-bus/backoff.js';
import { fullTopic } from '../event-bus/stream-name.js';

/** Settings of the Redis Streams consumer (edx-event-bus-redis compatible). */
export interface RedisConsumerSettings {
  /** `redis://[[user]:[pass]@]host:port/db` or `rediss://…` (EVENT_BUS_REDIS_CONNECTION_URL). Default `redis://127.0.0.1:6379/0`. */
  url: string;
  /** Stream key. Default `dev-analytics` (Tutor's EVENT_BUS_TOPIC_PREFIX `dev` + `-analytics`). */
  stream: string;
  /**
   * Consumer group. Default `event_routing_backends` (ERB's): the same name takes over from ERB's
   * consumer; a different one gets its own copy of every entry.
   */
  group: string;
  /** Consumer name inside the group. Default the host name. */
  consumer: string;
  /** Entries per read (XREADGROUP/XAUTOCLAIM COUNT) and so per sink call. Default 100. */
  batchSize: number;
  /** How long one XREADGROUP blocks waiting for new entries, ms. Default 5000. */
  blockMs: number;
  /** Entries pending this long (ms) on any consumer are taken over with XAUTOCLAIM. Default 60 000. */
  claimMinIdleMs: number;
  /** How often (ms) to look for such entries. Default 30 000. */
  claimIntervalMs: number;
  /** How often (ms) to report the group's lag. Default 15 000. */
  lagIntervalMs: number;
  /** Retry delays after a failure (sink, dead-letter handler or Redis). */
  backoff: BackoffSettings;
  /** `stop()` waits this long (ms) for the batch in hand before dropping the connection. Default 30 000. */
  stopTimeoutMs: number;
}

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379/0';
export const DEFAULT_GROUP = 'event_routing_backends';

/** Full settings from the given ones and the defaults above. */
export function redisConsumerSettings(given: Partial<RedisConsumerSettings> = {}): RedisConsumerSettings {
  return {
    url: given.url ?? DEFAULT_REDIS_URL,
    stream: given.stream ?? fullTopic('dev'),
    group: given.group ?? DEFAULT_GROUP,
    consumer: given.consumer ?? hostname(),
    batchSize: positive(given.batchSize, 100),
    blockMs: positive(given.blockMs, 5000),
    claimMinIdleMs: positive(given.claimMinIdleMs, 60_000),
    claimIntervalMs: positive(given.claimIntervalMs, 30_000),
    lagIntervalMs: positive(given.lagIntervalMs, 15_000),
    backoff: given.backoff ?? DEFAULT_BACKOFF,
    stopTimeoutMs: positive(given.stopTimeoutMs, 30_000),
  };
}

function positive(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isFinite(value) && value > 0 ? Math.floor(value) : fallback;
}
