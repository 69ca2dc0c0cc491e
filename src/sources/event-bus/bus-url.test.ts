import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseBusUrl } from './bus-url.js';

describe('parseBusUrl', () => {
  it('reads a Redis URL and strips our query parameters', () => {
    assert.deepEqual(parseBusUrl('redis://:secret@redis:6379/0?prefix=dev&group=erb_ts'), {
      ok: true,
      spec: { kind: 'redis', settings: { url: 'redis://:secret@redis:6379/0', stream: 'dev-analytics', group: 'erb_ts' } },
    });
  });

  it('reads a Kafka URL with several brokers', () => {
    assert.deepEqual(parseBusUrl('kafka://k1:9092,k2:9092?registry=http://sr:8081&topic=prod-analytics'), {
      ok: true,
      spec: { kind: 'kafka', settings: { brokers: ['k1:9092', 'k2:9092'], topic: 'prod-analytics', schemaRegistryUrl: 'http://sr:8081' } },
    });
  });

  it('rejects other schemes', () => {
    assert.equal(parseBusUrl('amqp://x').ok, false);
    assert.equal(parseBusUrl('kafka://').ok, false);
  });
});
