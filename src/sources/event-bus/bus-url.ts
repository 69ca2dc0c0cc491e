import type { KafkaConsumerSettings } from '../kafka/settings.js';
import type { RedisConsumerSettings } from '../redis-streams/settings.js';
import { fullTopic } from './stream-name.js';

/** Which bus to consume, with the settings given (the rest take their defaults). */
export type BusSpec = { kind: 'redis'; settings: Partial<RedisConsumerSettings> } | { kind: 'kafka'; settings: Partial<KafkaConsumerSettings> };

export type BusUrlParse = { ok: true; spec: BusSpec } | { ok: false; message: string };

/**
 * Parses a `--bus` value:
 * - `redis://[user:pass@]host:port[/db]` or `rediss://…`, with optional query `stream`, `prefix`
 *   (stream `<prefix>-analytics`), `group`, `consumer`, `claimMinIdleMs`, `claimIntervalMs`;
 * - `kafka://host:port[,host:port…]` with query `registry` (schema registry URL), `topic` or
 *   `prefix`, `group`.
 * Query parameters are ours and are removed from the Redis connection URL.
 */
export function parseBusUrl(text: string): BusUrlParse {
  const scheme = /^([a-z]+):\/\//i.exec(text)?.[1]?.toLowerCase();
  if (scheme === 'redis' || scheme === 'rediss') return parseRedis(text);
  if (scheme === 'kafka') return parseKafka(text);
  return { ok: false, message: `unsupported bus URL "${text}": use redis://, rediss:// or kafka://` };
}

function parseRedis(text: string): BusUrlParse {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, message: `invalid Redis URL "${text}"` };
  }
  const q = url.searchParams;
  const settings: Partial<RedisConsumerSettings> = {};
  const stream = q.get('stream') ?? (q.has('prefix') ? fullTopic(q.get('prefix') ?? '') : undefined);
  if (stream) settings.stream = stream;
  const group = q.get('group');
  if (group) settings.group = group;
  const consumer = q.get('consumer');
  if (consumer) settings.consumer = consumer;
  // How soon entries pending on a dead replica are taken over (XAUTOCLAIM); defaults in settings.ts.
  for (const key of ['claimMinIdleMs', 'claimIntervalMs'] as const) {
    const value = q.get(key);
    if (value === null) continue;
    if (!/^[1-9]\d*$/.test(value)) return { ok: false, message: `${key} must be a positive number of milliseconds, not "${value}"` };
    settings[key] = Number(value);
  }
  for (const key of ['stream', 'prefix', 'group', 'consumer', 'claimMinIdleMs', 'claimIntervalMs']) q.delete(key);
  settings.url = url.toString();
  return { ok: true, spec: { kind: 'redis', settings } };
}

function parseKafka(text: string): BusUrlParse {
  const rest = text.slice('kafka://'.length);
  const [hosts = '', query = ''] = rest.split('?', 2);
  const brokers = hosts
    .replace(/\/+$/, '')
    .split(',')
    .map((b) => b.trim())
    .filter((b) => b !== '');
  if (brokers.length === 0) return { ok: false, message: `no brokers in "${text}"` };
  const q = new URLSearchParams(query);
  const settings: Partial<KafkaConsumerSettings> = { brokers };
  const topic = q.get('topic') ?? (q.has('prefix') ? fullTopic(q.get('prefix') ?? '') : undefined);
  if (topic) settings.topic = topic;
  const group = q.get('group');
  if (group) settings.groupId = group;
  const registry = q.get('registry');
  if (registry) settings.schemaRegistryUrl = registry;
  return { ok: true, spec: { kind: 'kafka', settings } };
}
