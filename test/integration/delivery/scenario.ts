import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRetryPolicy } from '../../../src/delivery/retry-policy.js';
import type { DeliveryRouter } from '../../../src/delivery/router-config.js';

/** Shared set-up of the delivery scenarios: a scratch folder, fast retries, an xAPI router. */
export function scratchDir(prefix: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), `${prefix}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** Backoff in tens of milliseconds so that outages of a second or two stay short. */
export const fastRetryPolicy = createRetryPolicy({ initialDelayMs: 50, maxDelayMs: 400, jitter: 0.2 });

export function xapiRouter(lrsUrl: string, extra: Partial<DeliveryRouter> = {}): DeliveryRouter {
  return {
    id: 'lrs-1',
    backend: 'xapi',
    url: lrsUrl,
    auth: { scheme: 'basic', username: 'key', password: 'secret' },
    batching: { enabled: true, size: 50, intervalMs: 100 },
    ...extra,
  };
}

/** A deterministic statement id for item `n`, so that another process can rebuild the set. */
export function statementId(n: number): string {
  return `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

/** The statement for item `n`; the same `n` always gives the same statement. */
export function numberedStatement(n: number): Record<string, unknown> & { id: string } {
  return {
    id: statementId(n),
    actor: { objectType: 'Agent', account: { homePage: 'http://lms.example', name: `learner-${n % 97}` } },
    verb: { id: 'http://adlnet.gov/expapi/verbs/attempted', display: { 'en-US': 'attempted' } },
    object: { objectType: 'Activity', id: `http://lms.example/xblock/block-${n}` },
    timestamp: new Date(Date.UTC(2025, 0, 1) + n * 1000).toISOString(),
  };
}

/** mulberry32: a seeded generator, so "30 % of requests fail" fails the same requests every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
