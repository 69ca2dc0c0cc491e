import { Partitioners, type IHeaders, type Producer } from 'kafkajs';
import type { OpenEdxEvent } from '../../core/event.js';
import { pythonJsonDumps } from '../../transforms/shared/python-json.js';
import { newEventsMetadata, type EventsMetadata, type ProducerIdentity } from '../event-bus/event-metadata.js';
import { encodeTrackingLogBody } from '../event-bus/tracking-log-codec.js';
import type { PythonJsonValue } from '../event-bus/python-json-value.js';
import { epochMicrosNow, eventToTrackingLog } from '../event-bus/tracking-log-event.js';
import { TRACKING_EVENT_TYPE, TRACKING_LOG_SCHEMA } from '../event-bus/tracking-log-schema.js';
import { confluentFrame } from './framing.js';
import { HEADER } from './headers.js';
import { createKafkaClient, type KafkaConnection } from './kafka-client.js';
import type { SchemaRegistryClient } from './schema-registry.js';
import avro from 'avsc';

export interface KafkaPublisherOptions extends ProducerIdentity {
  connection: KafkaConnection;
  topic: string;
  registry: SchemaRegistryClient;
}

/** A message as edx-event-bus-kafka produces it, or anything else (tests). */
export interface RawKafkaMessage {
  key?: Buffer | null;
  value: Buffer | null;
  headers?: IHeaders;
}

export interface KafkaPublisher {
  /** `sources[i]`, when given, is `events[i]` as Python reads its text (see `eventToTrackingLog`). */
  publish(events: OpenEdxEvent[], sources?: ReadonlyArray<PythonJsonValue | undefined>): Promise<EventsMetadata[]>;
  publishRaw(messages: RawKafkaMessage[]): Promise<void>;
  close(): Promise<void>;
}

/** Subjects of `topic_record_subject_name_strategy` (edx-event-bus-kafka `get_serializers`). */
export function valueSubject(topic: string): string {
  return `${topic}-${TRACKING_EVENT_TYPE}.CloudEvent`;
}
// The key schema is the `name` field cut out of the value schema; Avro reads it as a primitive
// string whose record name falls back to "string".
export function keySubject(topic: string): string {
  return `${topic}-string`;
}

// Python `json.dumps(schema, sort_keys=True)`: the text edx-event-bus-kafka registers.
function sortedSchemaText(schema: unknown): string {
  const sort = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(sort);
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(
        Object.keys(value)
          .sort()
          .map((key) => [key, sort((value as Record<string, unknown>)[key])]),
      );
    }
    return value;
  };
  return pythonJsonDumps(sort(schema));
}

const KEY_SCHEMA = { name: 'name', type: 'string' };
const keyType = avro.Type.forSchema('string');

/**
 * Produces tracking-log events like edx-event-bus-kafka: value = Confluent-framed Avro payload,
 * key = Confluent-framed Avro string of the event name (`event_key_field: tracking_log.name`),
 * openedx-events metadata in `ce_*` headers. Schemas are registered on first use.
 */
export function createKafkaPublisher(options: KafkaPublisherOptions): KafkaPublisher {
  const kafka = createKafkaClient(options.connection);
  const producer: Producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  let connected: Promise<void> | undefined;
  let ids: Promise<{ key: number; value: number }> | undefined;

  const ready = async (): Promise<{ key: number; value: number }> => {
    connected ??= producer.connect();
    await connected;
    ids ??= Promise.all([
      options.registry.register(keySubject(options.topic), sortedSchemaText(KEY_SCHEMA)),
      options.registry.register(valueSubject(options.topic), sortedSchemaText(TRACKING_LOG_SCHEMA)),
    ]).then(([key, value]) => ({ key, value }));
    return ids;
  };

  return {
    async publish(events, sources) {
      const schemaIds = await ready();
      const metadata: EventsMetadata[] = [];
      const messages = events.map((event, index) => {
        const nowMicros = epochMicrosNow();
        const meta = newEventsMetadata(options, nowMicros);
        metadata.push(meta);
        const headers: IHeaders = {
          [HEADER.type]: meta.type,
          [HEADER.id]: meta.id,
          [HEADER.source]: meta.source,
          [HEADER.specversion]: '1.0',
          [HEADER.time]: meta.time,
          [HEADER.minorversion]: meta.minorversion,
          [HEADER.sourcehost]: meta.sourcehost,
          [HEADER.sourcelib]: meta.sourcelib,
          [HEADER.contentType]: 'application/avro',
          [HEADER.dataContentType]: 'application/avro',
        };
        return {
          key: confluentFrame(schemaIds.key, keyType.toBuffer(event.name)),
          value: confluentFrame(schemaIds.value, encodeTrackingLogBody(eventToTrackingLog(event, new Date(nowMicros / 1000), sources?.[index]))),
          headers,
        };
      });
      await producer.send({ topic: options.topic, messages });
      return metadata;
    },
    async publishRaw(messages) {
      await ready();
      await producer.send({ topic: options.topic, messages });
    },
    async close() {
      if (connected) await producer.disconnect();
    },
  };
}
