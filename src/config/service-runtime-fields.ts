import * as z from 'zod';
import { setting } from './setting-meta.js';

/**
 * Settings of the running service (`serve`, `consume`): HTTP ingest, the inbox and outbox
 * bounds, the pipeline, delivery concurrency, shutdown, statement logs and the event bus
 * (docs/service.md).
 */
export const serviceRuntimeFields = {
  EVENT_ROUTER_INGEST_TOKEN: setting(z.string().min(16, 'must be at least 16 characters').optional(), {
    kind: 'string',
    origin: 'ours',
    secret: true,
    defaultText:
      'none: `POST /events` is open on a loopback EVENT_ROUTER_HOST; on any other address the service then refuses to start unless EVENT_ROUTER_INGEST_OPEN is set',
    description: 'Bearer token required by `POST /events` (`Authorization: Bearer <token>`). Not the admin token.',
  }),
  EVENT_ROUTER_INGEST_MAX_BODY_BYTES: setting(
    z
      .int()
      .min(1024)
      .max(1024 * 1024 * 1024)
      .default(10 * 1024 * 1024),
    {
      kind: 'integer',
      origin: 'ours',
      unit: 'bytes',
      defaultText: '10485760 (10 MiB)',
      description: 'Largest `POST /events` body; a larger one is refused with 413 and nothing of it is stored.',
    },
  ),
  EVENT_ROUTER_INGEST_MAX_IN_FLIGHT: setting(z.int().min(1).max(10_000).default(64), {
    kind: 'integer',
    origin: 'ours',
    unit: 'requests',
    defaultText: '64',
    description:
      'Bounds the memory of `POST /events` bodies: at most this times EVENT_ROUTER_INGEST_MAX_BODY_BYTES bytes of bodies are held at once, counted as they arrive (a slow upload holds only what it has sent). A request that would go beyond is answered 503 with Retry-After.',
  }),
  EVENT_ROUTER_INBOX_MAX_DEPTH: setting(z.int().min(1).max(100_000_000).default(200_000), {
    kind: 'integer',
    origin: 'ours',
    unit: 'events',
    defaultText: '200000',
    description:
      'Accepted events waiting for the pipeline (filter, identity, transform, routing) beyond which ingest answers 503 with Retry-After and the bus consumer waits (backpressure).',
  }),
  EVENT_ROUTER_INBOX_LEASE: setting(z.number().min(1).max(86_400).default(60), {
    kind: 'number',
    origin: 'ours',
    unit: 'seconds',
    defaultText: '60',
    description:
      'With a PostgreSQL DATABASE_URL, where the instances share one inbox: how long a pipeline holds the events it took. The events of an instance that died mid-batch go to another one after this time; it must outlast a batch (identity lookups included).',
  }),
  EVENT_ROUTER_OUTBOX_MAX_DEPTH: setting(z.int().min(1).max(1_000_000_000).default(1_000_000), {
    kind: 'integer',
    origin: 'ours',
    unit: 'statements',
    defaultText: '1000000',
    description:
      'Statements waiting for delivery (all routers) beyond which the pipeline stops taking events from the inbox until delivery catches up; the inbox then fills and ingest answers 503.',
  }),
  EVENT_ROUTER_SQLITE_SYNCHRONOUS: setting(z.enum(['full', 'normal']).default('full'), {
    kind: 'string',
    origin: 'ours',
    defaultText: 'full',
    description:
      '`full`: every commit of the inbox and the outbox is fsynced, so an accepted event survives a power cut. `normal`: survives a crash of the process (kill -9) but may lose the last commits on power loss; several times cheaper per commit.',
  }),
  EVENT_ROUTER_PIPELINE_THREAD: setting(z.boolean().default(true), {
    kind: 'boolean',
    origin: 'ours',
    defaultText: 'true',
    description:
      'Run the pipeline (identity, transform, routing into the outbox) in a worker thread, so that it uses a second core while the main thread serves HTTP and delivers. `false` runs it in the main thread.',
  }),
  EVENT_ROUTER_PIPELINE_BATCH_SIZE: setting(z.int().min(1).max(100_000).default(500), {
    kind: 'integer',
    origin: 'ours',
    unit: 'events',
    defaultText: '500',
    description: 'Events the pipeline takes from the inbox at once: one identity lookup round, one outbox transaction.',
  }),
  EVENT_ROUTER_DELIVERY_MAX_IN_FLIGHT: setting(z.int().min(1).max(256).default(4), {
    kind: 'integer',
    origin: 'ours',
    unit: 'requests',
    defaultText: '4',
    description: 'Delivery requests in flight per router (also its HTTP connections).',
  }),
  EVENT_ROUTER_DELIVERY_LEASE: setting(z.number().min(1).max(86_400).default(300), {
    kind: 'number',
    origin: 'ours',
    unit: 'seconds',
    defaultText: '300',
    description:
      'How long an instance holds the outbox items it is sending. On a shared database (DATABASE_URL) the items of an instance that died go to another one after this time; it must outlast a batch split into single statements.',
  }),
  EVENT_ROUTER_SHUTDOWN_TIMEOUT: setting(z.number().positive().max(3600).default(15), {
    kind: 'number',
    origin: 'ours',
    unit: 'seconds',
    defaultText: '15',
    description:
      'On SIGTERM: time to drain the pipeline and flush delivery before stopping. What is not delivered by then stays in the outbox for the next start.',
  }),
  EVENT_ROUTER_XAPI_TRACKING_LOG: setting(z.string().min(1).optional(), {
    kind: 'string',
    origin: 'ours',
    defaultText: 'none: the stream is not written',
    description:
      "Where ERB's `xapi_tracking` stream goes when XAPI_EVENT_LOGGING_ENABLED (true by default, as in ERB): `stdout`, `stderr` or a file path (appended), one statement as one JSON line. Unset, the stream is not written, so the service's own log on stdout carries no copy of every statement; set `stdout` with EVENT_ROUTER_TRACKING_LOG_FORMAT=erb where a log pipeline built for ERB (Aspects' Vector) reads it.",
  }),
  EVENT_ROUTER_CALIPER_TRACKING_LOG: setting(z.string().min(1).default('stdout'), {
    kind: 'string',
    origin: 'ours',
    defaultText: 'stdout',
    description:
      "Where ERB's `caliper_tracking` stream goes when CALIPER_EVENT_LOGGING_ENABLED: `stdout`, `stderr` or a file path (appended), one Caliper event as one JSON line.",
  }),
  EVENT_ROUTER_TRACKING_LOG_FORMAT: setting(z.enum(['json', 'erb']).default('json'), {
    kind: 'string',
    origin: 'ours',
    defaultText: 'json',
    description:
      "Form of each `xapi_tracking` / `caliper_tracking` line. `json`: the JSON alone. `erb`: as ERB's Django logging writes it (`2026-01-05 10:00:00,123 INFO 7 [xapi_tracking] [user None] [ip None] transformer_processor.py:61 - {…}`), so a pipeline built for ERB's log (Aspects' Vector) reads it unchanged.",
  }),
  EVENT_ROUTER_BUS_URL: setting(
    z
      .string()
      .regex(/^(redis|rediss|kafka):\/\//, 'must be a redis://, rediss:// or kafka:// URL')
      .optional(),
    {
      kind: 'string',
      origin: 'ours',
      secret: true,
      defaultText: 'none: no event bus consumer',
      description:
        'Consume the Open edX event bus inside the service (`serve --bus`, `consume --bus`): `redis://host:6379/0?prefix=dev&group=…` or `kafka://host:9092?registry=…` (docs/event-bus.md).',
    },
  ),
  EVENT_ROUTER_FOLLOW: setting(z.array(z.string().min(1)).default([]), {
    kind: 'list',
    origin: 'ours',
    defaultText: 'none: no file is followed',
    description:
      "Tracking logs to follow (`serve --follow`, `consume --follow`): paths or globs (`*`, `?`, `[…]` within a segment), e.g. the LMS's and the CMS's `tracking.log`. Each line goes into the inbox; the read position is committed with it, and rotation (rename and create, copytruncate, deletion) is followed (docs/follow.md).",
  }),
  EVENT_ROUTER_FOLLOW_START: setting(z.enum(['end', 'beginning']).default('end'), {
    kind: 'string',
    origin: 'ours',
    defaultText: 'end',
    description:
      'Where a followed file never read before starts: `end` takes only the lines written from now on (the file may already have been sent by ERB); `beginning` reads it whole. A file that appears later, and every file after a rotation, is read from its beginning.',
  }),
  EVENT_ROUTER_FOLLOW_POLL_INTERVAL: setting(z.number().min(0.01).max(60).default(0.25), {
    kind: 'number',
    origin: 'ours',
    unit: 'seconds',
    defaultText: '0.25',
    description: 'How often a followed file with nothing new is looked at again (for new lines and rotation).',
  }),
} as const;
