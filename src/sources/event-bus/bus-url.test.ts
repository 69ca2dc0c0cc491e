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

  it('reads the take-over timings of a Redis URL, and refuses bad ones', () => {
    assert.deepEqual(parseBusUrl('redis://127.0.0.1:6379/0?stream=s&claimMinIdleMs=5000&claimIntervalMs=1000'), {
      ok: true,
      spec: { kind: 'redis', settings: { url: 'redis://127.0.0.1:6379/0', stream: 's', claimMinIdleMs: 5000, claimIntervalMs: 1000 } },
    });
    const bad = parseBusUrl('redis://127.0.0.1:6379/0?claimMinIdleMs=soon');
    assert.equal(bad.ok, false);
    assert.match(bad.ok ? '' : bad.message, /claimMinIdleMs must be a positive number of milliseconds/);
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
