import type avro from 'avsc';
import type { KafkaMessage } from 'kafkajs';
import type { PoisonReason } from '../event-bus/poison.js';
import type { BusEvent, DeadLetterEntry } from '../event-bus/sink.js';
import { decodeTrackingLogBody } from '../event-bus/tracking-log-codec.js';
import { trackingLogToEvent } from '../event-bus/tracking-log-event.js';
import { TRACKING_EVENT_TYPE, trackingLogType } from '../event-bus/tracking-log-schema.js';
import { parseConfluentFrame } from './framing.js';
import { HEADER, headerFields, headerValues } from './headers.js';
import type { SchemaRegistryClient } from './schema-registry.js';

/** One Kafka message decoded: an event, a dead letter, or a transient failure to retry. */
export type KafkaDecodeOutcome = { kind: 'event'; item: BusEvent } | { kind: 'dead'; dead: DeadLetterEntry } | { kind: 'retry'; message: string };

/** The `sourceId` of a Kafka message (stable across redeliveries). */
export function kafkaSourceId(topic: string, partition: number, offset: string): string {
  return `kafka:${topic}:${partition}:${offset}`;
}

/**
 * Decodes edx-event-bus-kafka messages: signal from the `ce_type` header, value = Confluent
 * frame whose writer schema is fetched from the registry by id and resolved to our reader schema
 * (so a compatible evolution of the openedx-events schema still reads). Only the value is decoded,
 * like the reference consumer; the key is informational.
 */
export class KafkaMessageDecoder {
  private readonly resolvers = new Map<number, avro.Resolver | Error>();

  constructor(private readonly registry: SchemaRegistryClient) {}

  async decode(topic: string, partition: number, message: KafkaMessage): Promise<KafkaDecodeOutcome> {
    const sourceId = kafkaSourceId(topic, partition, message.offset);
    const headers = headerValues(message.headers);
    const fields = headerFields(headers);
    if (message.key) fields['key'] = message.key.toString('hex');
    const bytes = message.value ?? Buffer.alloc(0);
    const dead = (reason: PoisonReason, text: string): KafkaDecodeOutcome => ({
      kind: 'dead',
      dead: { sourceId, bytes, fields, reason, message: text },
    });

    const types = headers.get(HEADER.type) ?? [];
    if (types.length !== 1) {
      return dead('unsupported_event_type', types.length === 0 ? 'message has no ce_type header' : 'ce_type header is repeated');
    }
    if (types[0] !== TRACKING_EVENT_TYPE) return dead('unsupported_event_type', `signal type ${types[0]} is not ${TRACKING_EVENT_TYPE}`);
    if (!message.value || message.value.length === 0) return dead('missing_event_data', 'message has no value');

    const frame = parseConfluentFrame(message.value);
    if (!frame.ok) return dead('bad_framing', frame.message);
    const resolver = await this.resolver(frame.schemaId);
    if ('retry' in resolver) return { kind: 'retry', message: resolver.retry };
    if ('poison' in resolver) return dead(resolver.poison, resolver.message);

    const log = decodeTrackingLogBody(frame.body, resolver.resolver);
    if (!log.ok) return dead(log.reason, log.message);
    const event = trackingLogToEvent(log.value);
    if (!event.ok) return dead(event.reason, event.message);
    const messageId = headers.get(HEADER.id)?.[0];
    return { kind: 'event', item: messageId ? { event: event.value, sourceId, messageId } : { event: event.value, sourceId } };
  }

  private async resolver(schemaId: number): Promise<{ resolver: avro.Resolver } | { retry: string } | { poison: PoisonReason; message: string }> {
    const known = this.resolvers.get(schemaId);
    if (known instanceof Error) return { poison: 'incompatible_schema', message: known.message };
    if (known) return { resolver: known };
    const lookup = await this.registry.schemaById(schemaId);
    if (!lookup.ok) {
      return lookup.kind === 'unavailable' ? { retry: lookup.message } : { poison: 'unknown_schema', message: lookup.message };
    }
    try {
      const resolver = trackingLogType().createResolver(lookup.type);
      this.resolvers.set(schemaId, resolver);
      return { resolver };
    } catch (error) {
      const failure = new Error(`schema id ${schemaId} cannot be read as ${TRACKING_EVENT_TYPE}: ${(error as Error).message}`);
      this.resolvers.set(schemaId, failure);
      return { poison: 'incompatible_schema', message: failure.message };
    }
  }
}
