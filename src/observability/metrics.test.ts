import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Registry } from 'prom-client';
import type { RouterHealth } from '../delivery/observer.js';
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
    metrics.identity.cacheHit('user');
    metrics.identity.add({ hits: { user: 2 }, misses: { course: 1 }, providerErrors: {}, minted: { xapi: 1 } });
    metrics.bus.poison('malformed_avro', 2);
    assert.equal(await sample(registry, `${METRIC_PREFIX}events_skipped_total`, { backend: 'xapi', reason: 'unknown_user' }), 3);
    assert.equal(await sample(registry, `${METRIC_PREFIX}delivered_total`, { destination: 'r1' }), 4);
    assert.equal(await sample(registry, `${METRIC_PREFIX}events_dropped_total`, { stage: 'delivery', reason: 'lrs_rejected' }), 1);
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
        routers: [
          { routerId: 'r1', depth: 7, leased: 2, retrying: 1, oldestEnqueuedAt: 4000, oldestAgeMs: 6000, waiting: 0, nextAttemptAt: null, deadLetters: 1 },
        ],
      }),
      inboxStats: () => ({ depth: 3, deferred: 1, oldestReceivedAt: 8000 }),
    });
    assert.equal(await sample(registry, `${METRIC_PREFIX}queue_depth`, { destination: 'r1' }), 7);
    assert.equal(await sample(registry, `${METRIC_PREFIX}queue_oldest_age_seconds`, { destination: 'r1' }), 6);
    assert.equal(await sample(registry, `${METRIC_PREFIX}inbox_depth`), 3);
    assert.equal(await sample(registry, `${METRIC_PREFIX}inbox_oldest_age_seconds`), 2);
  });

  it('M04 gives every running router its state and queue series from the start; a removed router loses them', async () => {
    const registry = new Registry();
    const metrics = createMetrics(registry, { defaultMetrics: false, now: () => 10_000 });
    const health = (routerId: string, state: RouterHealth['state']): RouterHealth => ({
      routerId,
      state,
      since: 0,
      pausedUntil: null,
      lastError: null,
      inFlight: 0,
    });
    let routers = [health('busy', 'unauthorized'), health('idle', 'healthy')];
    metrics.setGaugeSources({
      routerHealth: () => routers,
      queueStats: async () => ({
        depth: 92,
        deadLetters: 3,
        routers: [
          { routerId: 'busy', depth: 92, leased: 0, retrying: 92, oldestEnqueuedAt: 4000, oldestAgeMs: 6000, waiting: 0, nextAttemptAt: null, deadLetters: 1 },
          { routerId: 'gone', depth: 0, leased: 0, retrying: 0, oldestEnqueuedAt: null, oldestAgeMs: null, waiting: 0, nextAttemptAt: null, deadLetters: 2 },
        ],
      }),
    });
    const state = `${METRIC_PREFIX}destination_state`;
    assert.equal(await sample(registry, state, { destination: 'busy', state: 'unauthorized' }), 1);
    assert.equal(await sample(registry, state, { destination: 'busy', state: 'healthy' }), 0);
    assert.equal(await sample(registry, state, { destination: 'idle', state: 'healthy' }), 1);
    assert.equal(await sample(registry, state, { destination: 'idle', state: 'stopped' }), 0);
    for (const each of ['healthy', 'circuit_open', 'rate_limited', 'unauthorized', 'disabled', 'stopped']) {
      assert.notEqual(await sample(registry, state, { destination: 'idle', state: each }), undefined, `a ${each} series`);
    }
    assert.equal(await sample(registry, state, { destination: 'idle', state: 'backing_off' }), undefined, 'split into circuit_open and rate_limited');
    assert.equal(await sample(registry, `${METRIC_PREFIX}queue_depth`, { destination: 'busy' }), 92);
    assert.equal(await sample(registry, `${METRIC_PREFIX}queue_retrying`, { destination: 'busy' }), 92);
    for (const gauge of ['queue_depth', 'queue_retrying', 'dead_letters', 'queue_oldest_age_seconds']) {
      assert.equal(await sample(registry, `${METRIC_PREFIX}${gauge}`, { destination: 'idle' }), 0, gauge);
      assert.equal(await sample(registry, `${METRIC_PREFIX}${gauge}`, { destination: 'gone' }), undefined, gauge);
    }
    assert.equal(
      (await registry.getMetricsAsJSON()).some((m) => m.name === `${METRIC_PREFIX}destination_healthy`),
      false,
    );

    routers = [health('idle', 'healthy')];
    await new Promise((resolve) => setTimeout(resolve, 0));
    assert.equal(await sample(registry, state, { destination: 'busy' }), undefined);
    assert.equal(await sample(registry, state, { destination: 'idle', state: 'healthy' }), 1);
  });
});
