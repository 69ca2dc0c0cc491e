import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createHistory, lineOf } from './history.js';
import type { RouterRows } from './router-rows.js';

function rows(received: number, delivered: number, failed: number, depth: number): RouterRows {
  const counts = { received, delivered, retried: 0, deadLettered: 0, failed };
  const row = {
    ...counts,
    id: 'r1',
    backend: 'xapi' as const,
    routeUrl: 'https://lrs.example.com/',
    enabled: true,
    health: 'healthy' as const,
    lastError: null,
    pausedUntil: null,
    matchParams: null,
    depth,
    retrying: 0,
    oldestAgeMs: null,
    deadLetters: 0,
  };
  return { rows: [row], since: 0, totals: { ...counts, depth, deadLetters: 0 } };
}

describe('admin UI chart history', () => {
  it('keeps the last hour only, oldest first', () => {
    const history = createHistory(60 * 60_000);
    history.add(rows(1, 0, 0, 1), 0);
    history.add(rows(5, 2, 1, 3), 30 * 60_000);
    history.add(rows(9, 8, 1, 0), 70 * 60_000);
    assert.deepEqual(
      history.samples(70 * 60_000).map((s) => s.at),
      [30 * 60_000, 70 * 60_000],
    );
  });

  it('draws counters as the change per interval and the queue as its level', () => {
    const history = createHistory(60 * 60_000);
    for (const [i, r] of [rows(0, 0, 0, 0), rows(10, 4, 2, 6), rows(25, 20, 2, 1)].entries()) history.add(r, i * 1000);
    const samples = history.samples(2000);
    assert.deepEqual(
      lineOf(samples, 'received', (s) => s.total),
      [10, 15],
    );
    assert.deepEqual(
      lineOf(samples, 'delivered', (s) => s.routers['r1']),
      [4, 16],
    );
    assert.deepEqual(
      lineOf(samples, 'failed', (s) => s.total),
      [2, 0],
    );
    assert.deepEqual(
      lineOf(samples, 'queued', (s) => s.total),
      [0, 6, 1],
    );
    assert.deepEqual(
      lineOf(samples, 'queued', (s) => s.routers['gone']),
      [0, 0, 0],
      'a router without samples is a flat line',
    );
  });
});
