import { collectDefaultMetrics, Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { DeliveryEvent, DeliveryObserver, RouterHealth } from '../delivery/observer.js';
import type { IdentityMetrics, LookupTarget } from '../identity/metrics.js';
import type { PipelineObserver } from '../pipeline/observer.js';
import type { IdentityCountDelta } from '../pipeline/thread-messages.js';
import type { QueueStats } from '../queue/port.js';
import type { BusObserver } from '../sources/event-bus/observer.js';
import type { FollowObserver } from '../sources/follower/observer.js';
import type { IngestMetrics } from '../sources/ingest-metrics.js';
import { createDeliveryCounters, type DeliveryCounters } from './delivery-counters.js';

/** Every metric name starts with this (architecture §14). */
export const METRIC_PREFIX = 'edx_event_router_';

/** Gauges read at scrape time from the components that know them. */
export interface GaugeSources {
  queueStats?: () => Promise<QueueStats>;
  inboxStats?: () => { depth: number; deferred: number; oldestReceivedAt: number | null };
  /** Bytes of `POST /events` bodies held now and at most since the start (the body budget). */
  ingestBodies?: () => { used: number; peak: number };
  /**
   * The routers delivery runs now, with their state: each gets every per-router gauge from the
   * start (0 where nothing), and a removed router's series go with it.
   */
  routerHealth?: () => RouterHealth[];
}

/**
 * The service's metrics, all declared here (architecture §14) on the registry given (tests pass
 * a fresh one; nothing is created at module scope). Components receive the part they report to.
 */
export interface Metrics {
  readonly registry: Registry;
  readonly ingest: IngestMetrics;
  readonly pipeline: PipelineObserver;
  /** IdentityMetrics for src/identity; `add` takes counts shipped from the pipeline thread. */
  readonly identity: IdentityMetrics & { add(delta: IdentityCountDelta): void };
  readonly delivery: DeliveryObserver;
  /** Queued statements discarded with their deleted router (`events_dropped_total`, reason `router_deleted`). */
  readonly outbox: { discarded(routerId: string, n: number): void };
  readonly bus: BusObserver;
  /** The file follower's counts (logging is the composition root's). */
  readonly follow: FollowObserver;
  /** Per-router counters as plain numbers, for the admin page and the admin API. */
  readonly counters: DeliveryCounters;
  setGaugeSources(sources: GaugeSources): void;
}

export interface MetricsOptions {
  /** Process metrics (CPU, memory, event-loop lag). Default true. */
  defaultMetrics?: boolean;
  now?: () => number;
}

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800, 3600, 21_600, 86_400];
const REQUEST_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
/** Every state gets its series; a record, so that a state added to RouterHealth cannot be left out. */
const STATE_SERIES: Readonly<Record<RouterHealth['state'], true>> = {
  healthy: true,
  circuit_open: true,
  rate_limited: true,
  unauthorized: true,
  disabled: true,
  stopped: true,
};
const HEALTH_STATES = Object.keys(STATE_SERIES) as readonly RouterHealth['state'][];

export function createMetrics(registry: Registry, options: MetricsOptions = {}): Metrics {
  const now = options.now ?? Date.now;
  const name = (suffix: string): string => `${METRIC_PREFIX}${suffix}`;
  const counter = <L extends string>(suffix: string, help: string, labelNames: readonly L[] = []) =>
    new Counter<L>({ name: name(suffix), help, labelNames, registers: [registry] });
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: METRIC_PREFIX });

  // Ingest
  const received = counter('events_received_total', 'Events accepted and durably stored in the inbox, by source.', ['source']);
  const rejected = counter('ingest_rejected_total', 'Events or requests refused by ingest, by reason.', ['reason']);
  const requests = counter('ingest_requests_total', 'POST /events requests answered, by status code.', ['code']);

  // Pipeline
  const filtered = counter('events_filtered_total', 'Events excluded by a backend filter.', ['backend']);
  const transformed = counter('events_transformed_total', 'Events transformed into at least one statement.', ['backend']);
  const statements = counter('statements_total', 'Statements (xAPI) or events (Caliper) produced by the transformers.', ['backend']);
  const skipped = counter('events_skipped_total', 'Events that produced no statement, by backend and skip reason.', ['backend', 'reason']);
  const notes = counter('transform_notes_total', 'Notes on produced statements (e.g. unknown_course).', ['backend', 'note']);
  const unrouted = counter('events_unrouted_total', 'Transformed events no enabled router of the backend matched.', ['backend']);
  const deferred = counter('events_deferred_total', 'Events left in the inbox to be tried again later, by reason.', ['reason']);
  const queued = counter('statements_queued_total', 'Items put into the outbox, by router.', ['destination']);
  const logged = counter('statement_log_lines_total', 'Lines written to the xapi_tracking / caliper_tracking streams.', ['stream']);

  // Delivery
  const deliveryRequests = counter('delivery_requests_total', 'Delivery requests sent, by router.', ['destination']);
  const requestBytes = counter('delivery_request_bytes_total', 'Bytes of delivery request bodies, by router.', ['destination']);
  const responses = counter('delivery_responses_total', 'Delivery answers by router, outcome and HTTP status or error code.', [
    'destination',
    'status',
    'code',
  ]);
  const requestDuration = new Histogram({
    name: name('delivery_request_duration_seconds'),
    help: 'Duration of one delivery request, by router.',
    labelNames: ['destination'],
    buckets: REQUEST_BUCKETS,
    registers: [registry],
  });
  const delivered = counter('delivered_total', 'Statements accepted by the destination, by router.', ['destination']);
  const latency = new Histogram({
    name: name('delivery_latency_seconds'),
    help: 'Time from entering the outbox to acknowledgement by the destination, per statement, by router.',
    labelNames: ['destination'],
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const retried = counter('delivery_retries_total', 'Statements scheduled for another delivery attempt, by router.', ['destination']);
  const dropped = counter(
    'events_dropped_total',
    'Statements given up on (dead-lettered, or discarded with their deleted router), by stage, reason and router.',
    ['stage', 'reason', 'destination'],
  );
  // Outbox, router state and inbox gauges, read at scrape time.
  let sources: GaugeSources = {};
  new Gauge({
    name: name('destination_state'),
    help: 'Delivery state of each router: one series per state, 1 for the current one, 0 for the others.',
    labelNames: ['destination', 'state'],
    registers: [registry],
    collect() {
      this.reset();
      for (const health of sources.routerHealth?.() ?? []) {
        for (const state of HEALTH_STATES) this.set({ destination: health.routerId, state }, state === health.state ? 1 : 0);
      }
    },
  });
  let cached: { at: number; stats: Promise<QueueStats | undefined> } | undefined;
  const queueStats = (): Promise<QueueStats | undefined> => {
    if (cached === undefined || now() - cached.at > 500) {
      const read = sources.queueStats?.().catch(() => undefined) ?? Promise.resolve(undefined);
      cached = { at: now(), stats: read };
    }
    return cached.stats;
  };
  const queueGauge = (suffix: string, help: string, pick: (r: QueueStats['routers'][number]) => number | null): void => {
    new Gauge({
      name: name(suffix),
      help,
      labelNames: ['destination'],
      registers: [registry],
      async collect() {
        const stats = await queueStats();
        const known = sources.routerHealth?.().map((h) => h.routerId);
        this.reset();
        // Without the delivery's router list (a tool process), every router the queue knows.
        for (const id of known ?? []) this.set({ destination: id }, 0);
        for (const router of stats?.routers ?? []) {
          const value = pick(router);
          if (value !== null && (known === undefined || known.includes(router.routerId))) this.set({ destination: router.routerId }, value);
        }
      },
    });
  };
  queueGauge('queue_depth', 'Items in the outbox (leased or not), by router.', (r) => r.depth);
  queueGauge('queue_retrying', 'Outbox items waiting for another attempt after a failure, by router.', (r) => r.retrying);
  queueGauge('queue_oldest_age_seconds', 'Age of the oldest outbox item, by router.', (r) => (r.oldestAgeMs === null ? 0 : r.oldestAgeMs / 1000));
  queueGauge('dead_letters', 'Dead letters kept, by router.', (r) => r.deadLetters);
  const inboxGauge = (suffix: string, help: string, pick: (s: NonNullable<ReturnType<NonNullable<GaugeSources['inboxStats']>>>) => number): void => {
    new Gauge({
      name: name(suffix),
      help,
      registers: [registry],
      collect() {
        const stats = sources.inboxStats?.();
        if (stats !== undefined) this.set(pick(stats));
      },
    });
  };
  inboxGauge('inbox_depth', 'Accepted events waiting for the pipeline.', (s) => s.depth);
  inboxGauge('inbox_deferred', 'Inbox events waiting after a deferral (identity unavailable).', (s) => s.deferred);
  inboxGauge('inbox_oldest_age_seconds', 'Age of the oldest event in the inbox.', (s) =>
    s.oldestReceivedAt === null ? 0 : Math.max(0, now() - s.oldestReceivedAt) / 1000,
  );
  for (const [suffix, help, pick] of [
    ['ingest_body_bytes', 'Bytes of POST /events bodies held now (bounded by the body budget).', (b: { used: number }) => b.used],
    ['ingest_body_bytes_peak', 'Most bytes of POST /events bodies held at once since the start.', (b: { peak: number }) => b.peak],
  ] as const) {
    new Gauge({
      name: name(suffix),
      help,
      registers: [registry],
      collect() {
        const bodies = sources.ingestBodies?.();
        if (bodies !== undefined) this.set(pick(bodies));
      },
    });
  }

  // Identity (src/identity/metrics.ts)
  const cacheHits = counter('identity_cache_hits_total', 'Identity lookups answered from the cache.', ['target']);
  const cacheMisses = counter('identity_cache_misses_total', 'Identity lookups not in the cache.', ['target']);
  const providerErrors = counter('identity_provider_errors_total', 'Identity providers that could not be asked.', ['provider']);
  const minted = counter(
    'identity_minted_total',
    'Anonymous ids minted, by kind: into the local store (policy mint), or into the LMS (EVENT_ROUTER_IDENTITY_LMS_WRITE).',
    ['kind'],
  );

  // Event bus
  const busReceived = counter('bus_received_total', 'Messages read from the event bus (redeliveries and poison included).');
  const busAcked = counter('bus_acked_total', 'Bus messages acknowledged after they were stored.');
  const busPoison = counter('bus_poison_total', 'Bus messages dead-lettered, by reason.', ['reason']);
  const busReclaimed = counter('bus_reclaimed_total', 'Bus messages taken over from a dead consumer.');
  const busFailures = counter('bus_failures_total', 'Transient bus consumer failures, by stage.', ['stage']);
  const busLag = new Gauge({
    name: name('bus_lag'),
    help: 'Bus messages not yet delivered to the group (undelivered) or not acknowledged (pending).',
    labelNames: ['kind'],
    registers: [registry],
  });

  // File follower
  const followLines = counter('follow_lines_total', 'Lines of followed files stored in the inbox, by path.', ['path']);
  const followBytes = counter('follow_bytes_total', 'Bytes of followed files read and committed, by path.', ['path']);
  const followRotations = counter(
    'follow_rotations_total',
    'Rotations seen on followed paths: moved (rename or delete, then a new file) or truncated (copytruncate).',
    ['path', 'kind'],
  );
  const followDropped = counter('follow_lines_dropped_total', 'Lines of followed files left out, by reason.', ['path', 'reason']);
  const followFailures = counter('follow_failures_total', 'Failures reading a followed file or storing its lines (retried).', ['path']);
  const followLag = new Gauge({
    name: name('follow_lag_bytes'),
    help: 'Bytes of a followed path not yet committed to the inbox.',
    labelNames: ['path'],
    registers: [registry],
  });
  const followPaused = new Gauge({
    name: name('follow_paused'),
    help: '1 while reading a followed path waits because the inbox is at its bound.',
    labelNames: ['path'],
    registers: [registry],
  });

  const counters = createDeliveryCounters(now);

  const pipeline: PipelineObserver = {
    invalid: (reason, n) => skipped.inc({ backend: 'none', reason }, n),
    filtered: (backend, n) => filtered.inc({ backend }, n),
    transformed: (backend, n) => transformed.inc({ backend }, n),
    statements: (backend, n) => statements.inc({ backend }, n),
    skipped: (backend, reason, n) => skipped.inc({ backend, reason }, n),
    noted: (backend, note, n) => notes.inc({ backend, note }, n),
    unrouted: (backend, n) => unrouted.inc({ backend }, n),
    queued: (routerId, n) => {
      queued.inc({ destination: routerId }, n);
      counters.queued(routerId, n);
    },
    deferred: (reason, n) => deferred.inc({ reason }, n),
    logged: (backend, n) => logged.inc({ stream: `${backend}_tracking` }, n),
  };

  const delivery: DeliveryObserver = {
    record(event: DeliveryEvent) {
      const destination = event.routerId;
      switch (event.type) {
        case 'request':
          deliveryRequests.inc({ destination });
          requestBytes.inc({ destination }, event.bytes);
          break;
        case 'response':
          responses.inc({ destination, status: event.status, code: String(event.statusCode ?? event.errorCode ?? 'none') });
          requestDuration.observe({ destination }, event.durationMs / 1000);
          if (event.status !== 'delivered') counters.failed(destination, event.statements);
          break;
        case 'delivered':
          delivered.inc({ destination }, event.count);
          for (const ms of event.latenciesMs) latency.observe({ destination }, ms / 1000);
          counters.delivered(destination, event.count);
          break;
        case 'retried':
          retried.inc({ destination }, event.count);
          counters.retried(destination, event.count, event.error);
          break;
        case 'dead_lettered':
          dropped.inc({ stage: 'delivery', reason: event.reason, destination }, event.count);
          counters.deadLettered(destination, event.count, event.error);
          break;
        case 'health': // read at scrape time (destination_state)
        case 'worker_error':
          break;
      }
    },
  };

  const identity: Metrics['identity'] = {
    cacheHit: (target: LookupTarget) => cacheHits.inc({ target }),
    cacheMiss: (target: LookupTarget) => cacheMisses.inc({ target }),
    providerError: (provider) => providerErrors.inc({ provider }),
    minted: (kind) => minted.inc({ kind }),
    add(delta) {
      for (const [target, n] of Object.entries(delta.hits)) cacheHits.inc({ target }, n);
      for (const [target, n] of Object.entries(delta.misses)) cacheMisses.inc({ target }, n);
      for (const [provider, n] of Object.entries(delta.providerErrors)) providerErrors.inc({ provider }, n);
      for (const [kind, n] of Object.entries(delta.minted)) minted.inc({ kind }, n);
    },
  };

  const bus: BusObserver = {
    received: (n) => busReceived.inc(n),
    acked: (n) => busAcked.inc(n),
    poison: (reason, n) => busPoison.inc({ reason }, n),
    reclaimed: (n) => busReclaimed.inc(n),
    lag: (lag) => {
      if (lag.undelivered !== undefined) busLag.set({ kind: 'undelivered' }, lag.undelivered);
      if (lag.pending !== undefined) busLag.set({ kind: 'pending' }, lag.pending);
    },
    failure: (stage) => busFailures.inc({ stage }),
  };

  const follow: FollowObserver = {
    read: (path, lines, bytes) => {
      followLines.inc({ path }, lines);
      followBytes.inc({ path }, bytes);
    },
    lag: (path, bytes) => followLag.set({ path }, bytes),
    rotated: (path, kind) => followRotations.inc({ path, kind }),
    dropped: (path, reason, n) => followDropped.inc({ path, reason }, n),
    paused: (path, paused) => followPaused.set({ path }, paused ? 1 : 0),
    failure: (path) => followFailures.inc({ path }),
    notice: () => undefined,
  };

  return {
    registry,
    ingest: {
      received: (source, n) => received.inc({ source }, n),
      rejected: (reason, n) => rejected.inc({ reason }, n),
      request: (statusCode) => requests.inc({ code: String(statusCode) }),
    },
    pipeline,
    identity,
    delivery,
    outbox: {
      discarded: (destination, n) => dropped.inc({ stage: 'delivery', reason: 'router_deleted', destination }, n),
    },
    bus,
    follow,
    counters,
    setGaugeSources(next) {
      sources = next;
      cached = undefined;
    },
  };
}
