import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Registry } from 'prom-client';
import { createMetrics, METRIC_PREFIX } from './metrics.js';

async function sample(registry: Registry, name: string, labels: Record<string, string> = {}): Promise<number | undefined> {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name);
  const value = (metric?.values as Array<{ labels: Record<string, string | number>; value: number }> | undefined)?.find((v) =>
    Object.entries(labels).every(([k, l]) => String(v.labels[k]) === l),
  );
  return value?.value;
}

describe('metrics', () => {
  it('M01 declares every metric with the prefix, on the registry given (a fresh one per test)', async () => {
    const registry = new Registry();
    createMetrics(registry, { defaultMetrics: false });
    const names = (await registry.getMetricsAsJSON()).map((m) => m.name);
    assert.ok(names.length > 30);
    for (const name of names) assert.ok(name.startsWith(METRIC_PREFIX), name);
    // A second set on another registry does not clash (nothing at module scope).
    createMetrics(new Registry(), { defaultMetrics: false });
  });

  it('M02 maps pipeline counts, delivery events and identity counts', async () => {
    const registry = new Registry();
    const metrics = createMetrics(registry, { defaultMetrics: false });
    metrics.pipeline.skipped('xapi', 'unknown_user', 3);
    metrics.pipeline.queued('r1', 5);
    metrics.delivery.record({ type: 'delivered', routerId: 'r1', count: 4, latenciesMs: [10, 20, 30, 40] });
    metrics.delivery.record({ type: 'dead_lettered', routerId: 'r1', count: 1, reason: 'lrs_rejected', error: '400' });
    metrics.delivery.record({
      type: 'health',
      routerId: 'r1',
      health: { routerId: 'r1', state: 'backing_off', since: 0, pausedUntil: null, lastError: null, inFlight: 0 },
    });
    metrics.identity.cacheHit('user');
    metrics.identity.add({ hits: { user: 2 }, misses: { course: 1 }, providerErrors: {}, minted: { xapi: 1 } });
    metrics.bus.poison('malformed_avro', 2);
    assert.equal(await sample(registry, `${METRIC_PREFIX}events_skipped_total`, { backend: 'xapi', reason: 'unknown_user' }), 3);
    assert.equal(await sample(registry, `${METRIC_PREFIX}delivered_total`, { destination: 'r1' }), 4);
    assert.equal(await sample(registry, `${METRIC_PREFIX}events_dropped_total`, { stage: 'delivery', reason: 'lrs_rejected' }), 1);
    assert.equal(await sample(registry, `${METRIC_PREFIX}destination_healthy`, { destination: 'r1', state: 'backing_off' }), 1);
    assert.equal(await sample(registry, `${METRIC_PREFIX}destination_healthy`, { destination: 'r1', state: 'healthy' }), 0);
    assert.equal(await sample(registry, `${METRIC_PREFIX}identity_cache_hits_total`, { target: 'user' }), 3);
    assert.equal(await sample(registry, `${METRIC_PREFIX}bus_poison_total`, { reason: 'malformed_avro' }), 2);
    const snapshot = metrics.counters.snapshot();
    assert.deepEqual(
      snapshot.routers.map(({ routerId, queued, delivered, deadLettered }) => ({ routerId, queued, delivered, deadLettered })),
      [{ routerId: 'r1', queued: 5, delivered: 4, deadLettered: 1 }],
    );
  });

  it('M03 reads queue and inbox gauges at scrape time', async () => {
    const registry = new Registry();
    const metrics = createMetrics(registry, { defaultMetrics: false, now: () => 10_000 });
    metrics.setGaugeSources({
      queueStats: async () => ({
        depth: 7,
        deadLetters: 1,
        routers: [{ routerId: 'r1', depth: 7, leased: 2, retrying: 1, oldestEnqueuedAt: 4000, oldestAgeMs: 6000, deadLetters: 1 }],
      }),
      inboxStats: () => ({ depth: 3, deferred: 1, oldestReceivedAt: 8000 }),
    });
    assert.equal(await sample(registry, `${METRIC_PREFIX}queue_depth`, { destination: 'r1' }), 7);
    assert.equal(await sample(registry, `${METRIC_PREFIX}queue_oldest_age_seconds`, { destination: 'r1' }), 6);
    assert.equal(await sample(registry, `${METRIC_PREFIX}inbox_depth`), 3);
    assert.equal(await sample(registry, `${METRIC_PREFIX}inbox_oldest_age_seconds`), 2);
  });
});
