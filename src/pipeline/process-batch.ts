import type { OpenEdxEvent } from '../core/event.js';
import type { IdentityResolver } from '../identity/identity-resolver.js';
import { JsonPayload } from '../queue/json-payload.js';
import type { DeliveryQueue, NewQueueItem } from '../queue/port.js';
import { parseEventLine } from '../sources/tracking-log/line-parser.js';
import type { TransformContext } from '../transforms/shared/transform-settings.js';
import type { OutputFormat, TransformedRecord } from '../transforms/transform-event.js';
import type { EventInbox, InboxEntry } from '../queue/inbox/port.js';
import { createCountBuffer, replayCounts, type PipelineObserver } from './observer.js';
import { matchRouters, passingBackends, resolveIdentities, transformFor, type BackendPlan, type ResolvedEvents } from './routing-core.js';
import type { RoutingTable } from './routing-table.js';
import type { StatementLog } from './statement-log.js';

export type { BackendPlan } from './routing-core.js';

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

/** A batch taken from the inbox and transformed, not yet committed (prepareNextBatch → commitBatch). */
export interface PreparedBatch {
  readonly taken: number;
  readonly done: number[];
  readonly deferred: Array<{ seq: number; at: number; error: string }>;
  readonly items: NewQueueItem[];
  readonly routerCounts: Map<string, number>;
  readonly counts: ReturnType<typeof createCountBuffer>;
  /** Records for the statement logs, written once the batch is committed (a retried batch is logged once). */
  readonly logged: Array<[OutputFormat, TransformedRecord]>;
}

interface Parsed {
  entry: InboxEntry;
  event: OpenEdxEvent;
  backends: OutputFormat[];
}

/** Takes up to `limit` events and commits them: `prepareNextBatch` then `commitBatch`. */
export async function processNextBatch(deps: PipelineDeps, limit: number): Promise<BatchResult> {
  const batch = await prepareNextBatch(deps, limit);
  return batch === null ? { kind: 'empty' } : commitBatch(deps, batch);
}

/**
 * Takes up to `limit` events from the inbox and runs them through the routing core
 * (routing-core.ts) up to the outbox: backend filters → identity resolution (not ready: the event stays in the inbox, retried later)
 * → transform (skips counted) → match each enabled router of the backend. Null when the inbox
 * has nothing due. Nothing is written: `commitBatch` does that, so the next batch can be prepared
 * while this one is being written.
 */
export async function prepareNextBatch(deps: PipelineDeps, limit: number): Promise<PreparedBatch | null> {
  const now = deps.now ?? Date.now;
  const entries = await deps.inbox.take(limit);
  if (entries.length === 0) return null;
  const batch: PreparedBatch = {
    taken: entries.length,
    done: [],
    deferred: [],
    items: [],
    routerCounts: new Map(),
    counts: createCountBuffer(),
    logged: [],
  };
  const seen = batch.counts.observer;

  const parsed: Parsed[] = [];
  for (const entry of entries) {
    const line = parseEventLine(entry.body);
    if (line.kind !== 'event') {
      seen.invalid(line.kind === 'error' ? line.reason : 'unparsable_line', 1);
      batch.done.push(entry.seq);
      continue;
    }
    const backends = passingBackends(line.event.name, deps.backends, (format) => seen.filtered(format, 1));
    if (backends.length === 0) batch.done.push(entry.seq);
    else parsed.push({ entry, event: line.event, backends });
  }
  if (parsed.length === 0) return batch;

  let resolved: ResolvedEvents;
  try {
    resolved = await resolveIdentities(
      deps.identity,
      parsed.map((p) => p.event),
      deps.ctx,
    );
  } catch (error) {
    // Unexpected (providers report their failures as retryable outcomes): keep every event.
    const at = now() + (deps.resolveErrorRetryMs ?? 5000);
    const message = `identity resolution failed: ${error instanceof Error ? error.message : String(error)}`;
    for (const p of parsed) batch.deferred.push({ seq: p.entry.seq, at, error: message });
    seen.deferred('identity_unavailable', parsed.length);
    return batch;
  }
  const { ctx } = resolved;
  parsed.forEach((p, i) => {
    const outcome = resolved.outcomes[i];
    if (outcome !== undefined && !outcome.ready) {
      batch.deferred.push({ seq: p.entry.seq, at: now() + outcome.retryAfterMs, error: outcome.reason });
      seen.deferred('identity_unavailable', 1);
      return;
    }
    batch.done.push(p.entry.seq);
    for (const backend of p.backends) route(deps, backend, p.event, ctx, batch);
  });
  return batch;
}

function route(deps: PipelineDeps, backend: OutputFormat, event: OpenEdxEvent, ctx: TransformContext, batch: PreparedBatch): void {
  const seen = batch.counts.observer;
  const outcome = transformFor(backend, event, ctx);
  if (!outcome.ok) {
    seen.skipped(backend, outcome.reason, 1);
    return;
  }
  const routers = deps.routes.routers(backend);
  const matched = new Uint8Array(routers.length);
  const hits = matchRouters(event, routers, matched);
  let payloads: JsonPayload[] = [];
  if (hits > 0) {
    // One JSON text per statement, shared by every router that takes it.
    try {
      payloads = outcome.statements.map((record) => JsonPayload.of(record));
    } catch {
      // A statement with no JSON text is a transform bug: it costs this event, as a throwing transform does.
      seen.skipped(backend, 'transform_error', 1);
      return;
    }
  }
  seen.transformed(backend, 1);
  seen.statements(backend, outcome.statements.length);
  for (const note of outcome.notes) seen.noted(backend, note, 1);
  if (deps.statementLog.enabled(backend)) for (const record of outcome.statements) batch.logged.push([backend, record]);
  if (hits === 0) {
    seen.unrouted(backend, 1);
    return;
  }
  const critical = deps.businessCritical.has(event.name);
  routers.forEach((router, i) => {
    if (matched[i] !== 1) return;
    for (let n = 0; n < payloads.length; n++) {
      // The bare statement: delivery merges the router's override_args into its own copy.
      const record = outcome.statements[n] as TransformedRecord;
      const item: NewQueueItem = { routerId: router.id, eventId: String(record.id), eventName: event.name, payload: payloads[n] as JsonPayload };
      if (critical) item.businessCritical = true;
      batch.items.push(item);
    }
    batch.routerCounts.set(router.id, (batch.routerCounts.get(router.id) ?? 0) + outcome.statements.length);
  });
}

/**
 * Writes a prepared batch: one outbox transaction for all its items, then its events leave the
 * inbox. A crash between the two processes the batch again: the same statements with the same
 * ids (at least once). Counts and statement-log lines follow only once both are committed.
 * On failure the inbox is rewound, so that the batch's events are taken again.
 */
export async function commitBatch(deps: PipelineDeps, batch: PreparedBatch): Promise<BatchResult> {
  const { items, done, deferred } = batch;
  if (items.length > 0) {
    const outcome = await deps.queue.enqueue(items).catch(async (error: unknown) => {
      await deps.inbox.rewind();
      throw error;
    });
    if (!outcome.ok) {
      await deps.inbox.rewind();
      const where = outcome.scope === 'router' ? `router ${outcome.routerId}` : 'outbox';
      return { kind: 'stalled', reason: 'queue_overflow', message: `${where} full (${outcome.depth} of ${outcome.maxDepth})` };
    }
  }
  try {
    await deps.inbox.complete({ done, deferred });
  } catch (error) {
    await deps.inbox.rewind();
    throw error;
  }
  const { observer } = batch.counts;
  if (batch.logged.length > 0) {
    for (const [backend, record] of batch.logged) deps.statementLog.add(backend, record);
    const logged = deps.statementLog.flush();
    for (const [backend, n] of Object.entries(logged) as Array<[OutputFormat, number]>) observer.logged(backend, n);
  }
  for (const [routerId, n] of batch.routerCounts) observer.queued(routerId, n);
  replayCounts(batch.counts.take(), deps.observer);
  return { kind: 'processed', taken: batch.taken, done: done.length, deferred: deferred.length, routerIds: [...batch.routerCounts.keys()] };
}
