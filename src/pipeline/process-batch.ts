import type { OpenEdxEvent } from '../core/event.js';
import type { BackendFilter } from '../filters/backend-filter.js';
import type { IdentityResolver } from '../identity/identity-resolver.js';
import type { DeliveryQueue, NewQueueItem } from '../queue/port.js';
import { parsedEventLine, parseEventLine } from '../sources/tracking-log/line-parser.js';
import type { TransformContext } from '../transforms/shared/transform-settings.js';
import { transformEvent, type OutputFormat } from '../transforms/transform-event.js';
import type { EventInbox, InboxEntry } from './inbox.js';
import { createCountBuffer, replayCounts, type PipelineObserver } from './observer.js';
import type { RoutingTable } from './routing-table.js';
import type { StatementLog } from './statement-log.js';

/** One enabled backend and its filter chain (EVENT_ROUTER_BACKEND_PROCESSORS + allow-list). */
export interface BackendPlan {
  readonly format: OutputFormat;
  readonly filter: BackendFilter;
}

/** Everything one pipeline step needs; built by build-pipeline.ts. */
export interface PipelineDeps {
  readonly inbox: EventInbox;
  readonly queue: Pick<DeliveryQueue, 'enqueue'>;
  readonly routes: Pick<RoutingTable, 'routers'>;
  readonly identity: Pick<IdentityResolver, 'resolve'>;
  readonly backends: readonly BackendPlan[];
  /** The transform context without lookups (those come from each batch's identity resolution). */
  readonly ctx: Omit<TransformContext, 'lookups'>;
  /** EVENT_TRACKING_BACKENDS_BUSINESS_CRITICAL_EVENTS. */
  readonly businessCritical: ReadonlySet<string>;
  readonly statementLog: StatementLog;
  readonly observer: PipelineObserver;
  /** How long an event waits when the identity resolver failed unexpectedly, ms. Default 5000. */
  readonly resolveErrorRetryMs?: number;
  readonly now?: () => number;
}

export type BatchResult =
  | { kind: 'empty' }
  /** `routerIds`: the routers that got items (their delivery workers are woken). */
  | { kind: 'processed'; taken: number; done: number; deferred: number; routerIds: string[] }
  /** The outbox is full: nothing was changed; try again later. */
  | { kind: 'stalled'; reason: 'queue_overflow'; message: string };

interface Parsed {
  entry: InboxEntry;
  event: OpenEdxEvent;
  backends: OutputFormat[];
}

/**
 * Takes up to `limit` events from the inbox and runs them through the pipeline: backend filters
 * → identity resolution (not ready: the event stays in the inbox, retried later) → transform
 * (skips counted) → match each enabled router of the backend → one outbox transaction for the
 * whole batch → the events leave the inbox. A crash between the outbox commit and the inbox
 * commit processes the batch again: the same statements with the same ids (at least once).
 * Counts reach the observer only once the batch is committed, so a retried batch counts once.
 */
export async function processNextBatch(deps: PipelineDeps, limit: number): Promise<BatchResult> {
  const now = deps.now ?? Date.now;
  const entries = await deps.inbox.take(limit);
  if (entries.length === 0) return { kind: 'empty' };
  const counts = createCountBuffer();
  const seen = counts.observer;
  const done: number[] = [];
  const deferred: Array<{ seq: number; at: number; error: string }> = [];

  const parsed: Parsed[] = [];
  for (const entry of entries) {
    const line = entry.parsed === undefined ? parseEventLine(entry.body) : parsedEventLine(entry.parsed);
    if (line.kind !== 'event') {
      seen.invalid(line.kind === 'error' ? line.reason : 'unparsable_line', 1);
      done.push(entry.seq);
      continue;
    }
    const backends: OutputFormat[] = [];
    for (const { format, filter } of deps.backends) {
      if (filter(line.event.name).pass) backends.push(format);
      else seen.filtered(format, 1);
    }
    if (backends.length === 0) done.push(entry.seq);
    else parsed.push({ entry, event: line.event, backends });
  }

  const items: NewQueueItem[] = [];
  const routerCounts = new Map<string, number>();
  if (parsed.length > 0) {
    let resolved: Awaited<ReturnType<IdentityResolver['resolve']>>;
    try {
      resolved = await deps.identity.resolve(parsed.map((p) => p.event));
    } catch (error) {
      // Unexpected (providers report their failures as retryable outcomes): keep every event.
      const at = now() + (deps.resolveErrorRetryMs ?? 5000);
      const message = `identity resolution failed: ${error instanceof Error ? error.message : String(error)}`;
      for (const p of parsed) deferred.push({ seq: p.entry.seq, at, error: message });
      seen.deferred('identity_unavailable', parsed.length);
      return commit(deps, entries.length, done, deferred, items, routerCounts, counts);
    }
    const ctx: TransformContext = { ...deps.ctx, lookups: resolved.lookups };
    parsed.forEach((p, i) => {
      const outcome = resolved.outcomes[i];
      if (outcome !== undefined && !outcome.ready) {
        deferred.push({ seq: p.entry.seq, at: now() + outcome.retryAfterMs, error: outcome.reason });
        seen.deferred('identity_unavailable', 1);
        return;
      }
      done.push(p.entry.seq);
      for (const backend of p.backends) route(deps, backend, p.event, ctx, items, routerCounts, seen);
    });
  }
  return commit(deps, entries.length, done, deferred, items, routerCounts, counts);
}

function route(
  deps: PipelineDeps,
  backend: OutputFormat,
  event: OpenEdxEvent,
  ctx: TransformContext,
  items: NewQueueItem[],
  routerCounts: Map<string, number>,
  seen: PipelineObserver,
): void {
  const outcome = transformEvent(backend, event, ctx);
  if (!outcome.ok) {
    seen.skipped(backend, outcome.reason, 1);
    return;
  }
  seen.transformed(backend, 1);
  seen.statements(backend, outcome.statements.length);
  for (const note of outcome.notes) seen.noted(backend, note, 1);
  if (deps.statementLog.enabled(backend)) for (const record of outcome.statements) deps.statementLog.add(backend, record);
  const critical = deps.businessCritical.has(event.name);
  let matched = false;
  for (const router of deps.routes.routers(backend)) {
    if (!router.matches(event)) continue;
    matched = true;
    for (const record of outcome.statements) {
      // The bare statement: delivery merges the router's override_args into its own copy.
      const item: NewQueueItem = { routerId: router.id, eventId: String(record.id), eventName: event.name, payload: record };
      if (critical) item.businessCritical = true;
      items.push(item);
    }
    routerCounts.set(router.id, (routerCounts.get(router.id) ?? 0) + outcome.statements.length);
  }
  if (!matched) seen.unrouted(backend, 1);
}

async function commit(
  deps: PipelineDeps,
  taken: number,
  done: number[],
  deferred: Array<{ seq: number; at: number; error: string }>,
  items: NewQueueItem[],
  routerCounts: Map<string, number>,
  counts: ReturnType<typeof createCountBuffer>,
): Promise<BatchResult> {
  if (items.length > 0) {
    const outcome = await deps.queue.enqueue(items).catch(async (error: unknown) => {
      deps.statementLog.discard();
      await deps.inbox.rewind();
      throw error;
    });
    if (!outcome.ok) {
      deps.statementLog.discard();
      await deps.inbox.rewind();
      const where = outcome.scope === 'router' ? `router ${outcome.routerId}` : 'outbox';
      return { kind: 'stalled', reason: 'queue_overflow', message: `${where} full (${outcome.depth} of ${outcome.maxDepth})` };
    }
  }
  try {
    await deps.inbox.complete({ done, deferred });
  } catch (error) {
    deps.statementLog.discard();
    await deps.inbox.rewind();
    throw error;
  }
  // Statement logs after the commit: a batch retried after a stall is logged once.
  const logged = deps.statementLog.flush();
  for (const [backend, n] of Object.entries(logged) as Array<[OutputFormat, number]>) counts.observer.logged(backend, n);
  for (const [routerId, n] of routerCounts) counts.observer.queued(routerId, n);
  replayCounts(counts.take(), deps.observer);
  return { kind: 'processed', taken, done: done.length, deferred: deferred.length, routerIds: [...routerCounts.keys()] };
}
