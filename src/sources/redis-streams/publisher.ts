import { Redis } from 'ioredis';
import type { OpenEdxEvent } from '../../core/event.js';
import { newEventsMetadata, type EventsMetadata, type ProducerIdentity } from '../event-bus/event-metadata.js';
import { encodeTrackingLogBody } from '../event-bus/tracking-log-codec.js';
import type { PythonJsonValue } from '../event-bus/python-json-value.js';
import { epochMicrosNow, eventToTrackingLog } from '../event-bus/tracking-log-event.js';

/** Options of the test publisher. */
export interface RedisPublisherOptions extends ProducerIdentity {
  /** Redis URL (ignored when `client` is given). */
  url?: string;
  /** An existing connection to use (not closed by `close()`). */
  client?: Redis;
  stream: string;
  /**
   * `XADD … MAXLEN ~ n` like edx-event-bus-redis (EVENT_BUS_REDIS_STREAM_MAX_LEN, default 10 000);
   * 0 disables trimming.
   */
  maxLen?: number;
}

/** What one published entry holds (for logs and tests). */
export interface PublishedEntry {
  entryId: string;
  metadata: EventsMetadata;
}

/** Writes tracking-log events the way edx-platform's producer does. */
export interface RedisPublisher {
  /** `sources[i]`, when given, is `events[i]` as Python reads its text (see `eventToTrackingLog`). */
  publish(events: OpenEdxEvent[], sources?: ReadonlyArray<PythonJsonValue | undefined>): Promise<PublishedEntry[]>;
  /** Writes an entry with arbitrary fields (malformed or foreign entries for tests). */
  publishRaw(fields: Array<[string, string | Buffer]>): Promise<string>;
  close(): Promise<void>;
}

export const DEFAULT_STREAM_MAX_LEN = 10_000;

/**
 * A producer matching edx-event-bus-redis byte for byte: fields `type, id, source, time,
 * minorversion, sourcehost, sourcelib, event_data` in that order (`RedisMessage.to_binary_dict`),
 * event_data = schemaless Avro of the payload, `XADD <stream> MAXLEN ~ <n> * …`.
 */
export function createRedisPublisher(options: RedisPublisherOptions): RedisPublisher {
  const owned = options.client === undefined;
  const client = options.client ?? new Redis(options.url ?? 'redis://127.0.0.1:6379/0', { maxRetriesPerRequest: 3 });
  const maxLen = options.maxLen ?? DEFAULT_STREAM_MAX_LEN;
  const trim = maxLen > 0 ? ['MAXLEN', '~', String(maxLen)] : [];

  const xadd = async (fields: Array<[string, string | Buffer]>): Promise<string> => {
    const args: Array<string | Buffer> = [options.stream, ...trim, '*'];
    for (const [name, value] of fields) args.push(name, value);
    const id = await client.xaddBuffer(...(args as [string, ...Array<string | Buffer>]));
    if (id === null) throw new Error('XADD returned no id');
    return id.toString('utf8');
  };

  return {
    async publish(events, sources) {
      const published: PublishedEntry[] = [];
      for (const [index, event] of events.entries()) {
        const nowMicros = epochMicrosNow();
        const metadata = newEventsMetadata(options, nowMicros);
        const body = encodeTrackingLogBody(eventToTrackingLog(event, new Date(nowMicros / 1000), sources?.[index]));
        const entryId = await xadd([
          ['type', metadata.type],
          ['id', metadata.id],
          ['source', metadata.source],
          ['time', metadata.time],
          ['minorversion', metadata.minorversion],
          ['sourcehost', metadata.sourcehost],
          ['sourcelib', metadata.sourcelib],
          ['event_data', body],
        ]);
        published.push({ entryId, metadata });
      }
      return published;
    },
    publishRaw: xadd,
    async close() {
      if (owned) await client.quit().catch(() => client.disconnect());
    },
  };
}
