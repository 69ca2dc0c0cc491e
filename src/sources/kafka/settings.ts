import { DEFAULT_BACKOFF, type BackoffSettings } from '../event-bus/backoff.js';
import { fullTopic } from '../event-bus/stream-name.js';

/** User name and password (SASL/PLAIN or schema-registry basic auth). */
export interface Credentials {
  username: string;
  password: string;
}

/** Settings of the Kafka consumer (edx-event-bus-kafka compatible). */
export interface KafkaConsumerSettings {
  /** Bootstrap servers `host:port` (EVENT_BUS_KAFKA_BOOTSTRAP_SERVERS). Default `127.0.0.1:9092`. */
  brokers: string[];
  /** Topic. Default `dev-analytics` (`<EVENT_BUS_TOPIC_PREFIX>-analytics`). */
  topic: string;
  /** Consumer group id. Default `event_routing_backends`. */
  groupId: string;
  /** Kafka client id. Default `edx-event-router`. */
  clientId: string;
  /** Schema registry root URL (EVENT_BUS_KAFKA_SCHEMA_REGISTRY_URL). Default `http://127.0.0.1:8081`. */
  schemaRegistryUrl: string;
  /** Registry basic auth (EVENT_BUS_KAFKA_SCHEMA_REGISTRY_API_KEY/SECRET). */
  schemaRegistryAuth?: Credentials;
  /** SASL/PLAIN over TLS like edx-event-bus-kafka (EVENT_BUS_KAFKA_API_KEY/SECRET). */
  sasl?: Credentials;
  /** TLS without SASL. Default false (true when `sasl` is set). */
  ssl?: boolean;
  /**
   * Where a group without committed offsets starts. Default true (earliest): unlike the reference
   * consumer (librdkafka's `latest`), no backlog is skipped.
   */
  fromBeginning: boolean;
  /** Most messages per sink call (and per offset commit). Default 100. */
  batchSize: number;
  /** Group session timeout, ms (kafkajs default 30 000). */
  sessionTimeoutMs: number;
  /** Rebalance timeout, ms (default 60 000). */
  rebalanceTimeoutMs: number;
  /** Heartbeat interval, ms (default 3000); also used while waiting between retries. */
  heartbeatIntervalMs: number;
  /** Fetch max wait, ms (default 5000); keep it below the session timeout. */
  maxWaitTimeMs: number;
  /** Retry delays after a failure (sink, dead-letter handler, registry). */
  backoff: BackoffSettings;
  /** `stop()` waits this long (ms) for the batch in hand before giving up. Default 30 000. */
  stopTimeoutMs: number;
}

export const DEFAULT_KAFKA_GROUP = 'event_routing_backends';

export function kafkaConsumerSettings(given: Partial<KafkaConsumerSettings> = {}): KafkaConsumerSettings {
  const settings: KafkaConsumerSettings = {
    brokers: given.brokers && given.brokers.length > 0 ? given.brokers : ['127.0.0.1:9092'],
    topic: given.topic ?? fullTopic('dev'),
    groupId: given.groupId ?? DEFAULT_KAFKA_GROUP,
    clientId: given.clientId ?? 'edx-event-router',
    schemaRegistryUrl: given.schemaRegistryUrl ?? 'http://127.0.0.1:8081',
    fromBeginning: given.fromBeginning ?? true,
    batchSize: positive(given.batchSize, 100),
    sessionTimeoutMs: positive(given.sessionTimeoutMs, 30_000),
    rebalanceTimeoutMs: positive(given.rebalanceTimeoutMs, 60_000),
    heartbeatIntervalMs: positive(given.heartbeatIntervalMs, 3000),
    maxWaitTimeMs: positive(given.maxWaitTimeMs, 5000),
    backoff: given.backoff ?? DEFAULT_BACKOFF,
    stopTimeoutMs: positive(given.stopTimeoutMs, 30_000),
  };
  if (given.schemaRegistryAuth) settings.schemaRegistryAuth = given.schemaRegistryAuth;
  if (given.sasl) settings.sasl = given.sasl;
  if (given.ssl !== undefined) settings.ssl = given.ssl;
  return settings;
}

function positive(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isFinite(value) && value > 0 ? Math.floor(value) : fallback;
}
