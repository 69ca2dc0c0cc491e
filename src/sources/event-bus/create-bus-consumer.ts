import { createKafkaConsumer } from '../kafka/consumer.js';
import { createRedisStreamConsumer } from '../redis-streams/consumer.js';
import type { BusConsumer, BusConsumerDeps } from './bus-consumer.js';
import type { BusSpec } from './bus-url.js';

/** The consumer for a bus spec (see `parseBusUrl`), wired to the given sink and dead-letter handler. */
export function createBusConsumer(spec: BusSpec, deps: BusConsumerDeps): BusConsumer {
  return spec.kind === 'redis' ? createRedisStreamConsumer({ ...deps, settings: spec.settings }) : createKafkaConsumer({ ...deps, settings: spec.settings });
}

/** Where a consumer reads from, for logs (no credentials). */
export function describeBusSpec(spec: BusSpec): string {
  if (spec.kind === 'redis') {
    const url = spec.settings.url ? new URL(spec.settings.url) : undefined;
    const where = url ? `${url.protocol}//${url.host}${url.pathname}` : 'redis (default)';
    return `${where} stream ${spec.settings.stream ?? 'dev-analytics'} group ${spec.settings.group ?? 'event_routing_backends'}`;
  }
  return `kafka ${(spec.settings.brokers ?? []).join(',')} topic ${spec.settings.topic ?? 'dev-analytics'} group ${spec.settings.groupId ?? 'event_routing_backends'}`;
}
