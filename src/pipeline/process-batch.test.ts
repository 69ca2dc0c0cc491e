import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from '../../test/support/paths.js';
import { createBackendFilter } from '../filters/backend-filter.js';
import type { IdentityResolver } from '../identity/identity-resolver.js';
import { READY, retryLater } from '../identity/resolve-outcome.js';
import { createMemoryQueue } from '../queue/memory/memory-queue.js';
import type { DeliveryQueue, NewQueueItem } from '../queue/port.js';
import type { ActiveRouter } from '../routers/active-router.js';
import { createStaticLookups, parseStaticLookups } from '../transforms/shared/static-lookups.js';
import { TransformCaches } from '../transforms/transform-caches.js';
import { createMemoryInbox } from '../queue/inbox/memory-inbox.js';
import type { EventInbox } from '../queue/inbox/port.js';
import { createCountBuffer } from './observer.js';
import { processNextBatch, type PipelineDeps } from './process-batch.js';
import type { StatementLog } from './statement-log.js';

const lines = readFileSync(join(repoRoot(), 'samples', 'events.ndjson'), 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '');
const byName = (name: string): string => {
  const line = lines.find((l) => (JSON.parse(l) as { name: string }).name === name);
  assert.ok(line, name);
  return line;
};
const lookups = createStaticLookups(parseStaticLookups(JSON.parse(readFileSync(join(repoRoot(), 'samples', 'lookups.json'), 'utf8'))));

function router(id: string, backend: 'xapi' | 'caliper', matches: (e: Record<string, unknown>) => boolean = () => true): ActiveRouter {
  return { id, backend, routeUrl: 'http://lrs', auth: { scheme: 'none' }, overrideArgs: undefined, headers: {}, matches };
}

function recordingLog(): StatementLog & { lines: string[] } {
  let pending: string[] = [];
  const written: string[] = [];
  return {
    lines: written,
    enabled: (format) => format === 'xapi',
    add: (_format, record) => void pending.push(String(record.id)),
    flush() {
      const n = pending.length;
      written.push(...pending);
      pending = [];
      return n > 0 ? { xapi: n } : {};
    },
    close() {},
  };
}

function setup(options: { routers?: ActiveRouter[]; resolve?: IdentityResolver['resolve']; queue?: DeliveryQueue; filter?: string[] } = {}) {
  const inbox: EventInbox = createMemoryInbox();
  const queue = options.queue ?? createMemoryQueue();
  const counts = createCountBuffer();
  const log = recordingLog();
  const routers = options.routers ?? [router('r1', 'xapi')];
  const deps: PipelineDeps = {
    inbox,
    queue,
    routes: { routers: (backend) => routers.filter((r) => r.backend === backend) },
    identity: {
      resolve: options.resolve ?? (async (events) => ({ outcomes: events.map(() => READY), ready: true, lookups })),
    },
    backends: [{ format: 'xapi', filter: createBackendFilter(options.filter ? [{ engine: 'NameWhitelistProcessor', whitelist: options.filter }] : []) }],
    ctx: { lmsUrl: 'http://lms.example.com', transformerVersion: 'test', ifiType: 'external_id', compat: 'valid', caches: new TransformCaches() },
    businessCritical: new Set(['edx.course.enrollment.activated']),
    statementLog: log,
    observer: counts.observer,
  };
  const totals = () => Object.fromEntries(counts.take().map(([method, labels, n]) => [[method, ...labels].join(':'), n]));
  return { inbox, queue, deps, log, totals };
}

describe('processNextBatch', () => {
  it('P01 filter → transform → match → one outbox write → the events leave the inbox', async () => {
    const { inbox, queue, deps, log, totals } = setup({ filter: ['play_video', 'edx.course.enrollment.activated', 'edx.no.such'] });
    await inbox.append(
      [byName('play_video'), byName('edx.course.enrollment.activated'), byName('showanswer'), '{"name":"edx.no.such"}'].map((body) => ({ body })),
    );
    const result = await processNextBatch(deps, 100);
    assert.deepEqual(result, { kind: 'processed', taken: 4, done: 4, deferred: 0, routerIds: ['r1'] });
    assert.equal(inbox.stats().depth, 0);
    const leased = await queue.lease('r1', 10, 1000);
    assert.equal(leased.length, 2);
    assert.deepEqual(
      leased.map((i) => i.eventName),
      ['play_video', 'edx.course.enrollment.activated'],
    );
    assert.deepEqual(
      leased.map((i) => i.businessCritical),
      [false, true],
    );
    assert.equal(log.lines.length, 2, 'statement log after the commit');
    assert.deepEqual(totals(), {
      'filtered:xapi': 1,
      'transformed:xapi': 2,
      'statements:xapi': 2,
      'skipped:xapi:unsupported_event': 1,
      'queued:r1': 2,
      'logged:xapi': 2,
    });
    assert.deepEqual(await processNextBatch(deps, 100), { kind: 'empty' });
  });

  it('P02 matches each router on the original event; a transformed event no router takes is counted unrouted', async () => {
    const onlyVideo = router('video', 'xapi', (e) => /video/.test(String(e['name'])));
    const { inbox, queue, deps, totals } = setup({ routers: [onlyVideo, router('all', 'xapi'), router('cal', 'caliper')] });
    await inbox.append([byName('play_video'), byName('showanswer')].map((body) => ({ body })));
    await processNextBatch(deps, 100);
    assert.equal((await queue.lease('video', 10, 1000)).length, 1);
    assert.equal((await queue.lease('all', 10, 1000)).length, 2);
    assert.equal((await queue.lease('cal', 10, 1000)).length, 0, 'a Caliper router gets nothing from the xAPI backend');
    assert.equal(totals()['unrouted:xapi'], undefined);

    const none = setup({ routers: [] });
    await none.inbox.append([{ body: byName('play_video') }]);
    await processNextBatch(none.deps, 100);
    assert.equal(none.totals()['unrouted:xapi'], 1);
  });

  it('P03 an event whose identity cannot be resolved stays in the inbox and comes back later', async () => {
    const { inbox, queue, deps, totals } = setup({
      resolve: async (events) => ({
        outcomes: events.map((e) => (e.name === 'play_video' ? retryLater('LMS unreachable', 60_000) : READY)),
        ready: false,
        lookups,
      }),
    });
    await inbox.append([byName('play_video'), byName('showanswer')].map((body) => ({ body })));
    const result = await processNextBatch(deps, 100);
    assert.equal(result.kind === 'processed' && result.deferred, 1);
    assert.equal(inbox.stats().depth, 1);
    assert.equal(inbox.stats().deferred, 1);
    assert.equal((await queue.lease('r1', 10, 1000)).length, 1);
    assert.equal(totals()['deferred:identity_unavailable'], 1);
  });

  it('P04 a full outbox changes nothing: no item, the events stay, nothing counted, nothing logged', async () => {
    const { inbox, deps, log, totals } = setup({ queue: createMemoryQueue({ maxDepth: 1 }) });
    await inbox.append([byName('play_video'), byName('showanswer')].map((body) => ({ body })));
    const result = await processNextBatch(deps, 100);
    assert.equal(result.kind, 'stalled');
    assert.equal(inbox.stats().depth, 2);
    assert.deepEqual(totals(), {});
    assert.equal(log.lines.length, 0);
    // The same events are taken again (rewound).
    assert.equal((await processNextBatch(deps, 100)).kind, 'stalled');
  });

  it('P05 a resolver that throws defers the whole batch', async () => {
    const { inbox, deps } = setup({ resolve: async () => Promise.reject(new Error('boom')) });
    await inbox.append([{ body: byName('play_video') }]);
    const result = await processNextBatch(deps, 100);
    assert.equal(result.kind === 'processed' && result.deferred, 1);
    assert.equal(inbox.stats().deferred, 1);
  });

  it('P06 one JSON text per statement, shared by every router that takes it', async () => {
    const { inbox, queue, deps } = setup({ routers: [router('a', 'xapi'), router('b', 'xapi')] });
    const enqueued: NewQueueItem[] = [];
    const recording = { ...deps, queue: { enqueue: (items: readonly NewQueueItem[]) => (enqueued.push(...items), queue.enqueue(items)) } };
    await inbox.append([{ body: byName('play_video') }]);
    await processNextBatch(recording, 100);
    assert.deepEqual(
      enqueued.map((i) => i.routerId),
      ['a', 'b'],
    );
    assert.equal(enqueued[0]?.payload, enqueued[1]?.payload);
    const [leased] = await queue.lease('b', 10, 1000);
    assert.equal(leased?.payload.text, enqueued[0]?.payload.text);
    assert.equal((leased?.payload.value() as { id: string }).id, leased?.eventId);
  });

  it('P07 a statement with no JSON text costs its event, as a throwing transform does', async () => {
    const { inbox, queue, deps, totals } = setup();
    const broken = () => ({ id: '00000000-0000-4000-8000-000000000000', object: { id: 'http://x.example/o' }, result: { score: { raw: 1n } } }) as never;
    const registry = { xapi: new Map([['play_video', broken]]), caliper: new Map(), origin: () => 'test' };
    await inbox.append([byName('play_video'), byName('showanswer')].map((body) => ({ body })));
    const result = await processNextBatch({ ...deps, ctx: { ...deps.ctx, compat: 'erb', registry } }, 100);
    assert.deepEqual(result, { kind: 'processed', taken: 2, done: 2, deferred: 0, routerIds: [] });
    assert.equal(inbox.stats().depth, 0);
    assert.equal((await queue.lease('r1', 10, 1000)).length, 0);
    assert.deepEqual(totals(), { 'skipped:xapi:transform_error': 1, 'skipped:xapi:unsupported_event': 1 });
  });
});
