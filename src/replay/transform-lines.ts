import type { OpenEdxEvent } from '../core/event.js';
import type { IdentityResolver } from '../identity/identity-resolver.js';
import type { IdentitySettings } from '../identity/settings.js';
import type { LocalStoreLocation } from '../pipeline/open-identity-resolver.js';
import { matchRouters, resolveIdentities, transformFor, type ResolvedEvents } from '../pipeline/routing-core.js';
import { parseEventLine } from '../sources/tracking-log/line-parser.js';
import type { TransformContext } from '../transforms/shared/transform-settings.js';
import type { OutputFormat, TransformedRecord } from '../transforms/transform-event.js';
import { erbXapiLogLine } from '../transforms/xapi/erb-log-format.js';
import type { Statement } from '../transforms/xapi/statement.js';
import { createEventFilter, type EventFilter, type EventFilterSettings } from './event-filter.js';
import { compileRouting, type EventRouting, type RoutingSettings } from './event-routing.js';
import { RecordBytes } from './record-bytes.js';
import type { ReplaySkipReason } from './replay-skip-reason.js';
import { sleep } from './sleep.js';
import { buildTransformContext, type ContextSettings } from './transform-flags.js';

/**
 * How records are written: JSON (what LRSs receive), or ERB's `xapi_tracking` log form (`--compat
 * erb` with xAPI to a file or stdout, as the `transform` command writes it).
 */
export type RecordEncoding = 'json' | 'erb-xapi-log';

/** Everything a worker thread needs to transform lines exactly as the main thread would. */
export interface LineTransformSettings {
  format: OutputFormat;
  context: ContextSettings;
  filter: EventFilterSettings;
  encoding: RecordEncoding;
  /** Backend filters and router matching, for a destination that delivers to the configured routers. */
  routing?: RoutingSettings;
  /** Identity resolution as the service does it (with `routing`); without it, users come from the lookups file only. */
  identity?: IdentityResolution;
}

/** What each thread that transforms builds its identity resolver from (plain data). */
export interface IdentityResolution {
  settings: IdentitySettings;
  localStore: LocalStoreLocation;
  /** How long events whose identity is not available yet (LMS down …) are retried before they are skipped, ms. */
  waitForMs: number;
}

/** The same, with the context and filter built. In-process callers may bring their own context. */
export interface LineTransformRuntime {
  format: OutputFormat;
  ctx: TransformContext;
  filter: EventFilter;
  encoding: RecordEncoding;
  routing?: EventRouting;
  identity?: { resolver: Pick<IdentityResolver, 'resolve'>; waitForMs: number };
  /** Closes what building the runtime opened (the identity resolver's connections). */
  close?: () => Promise<void>;
}

/** A line that produced nothing, by its index in the unit. */
export interface UnitSkip {
  index: number;
  reason: ReplaySkipReason;
  message: string;
  name?: string;
}

/** Lines to transform: UTF-8 bytes and each line's `[start, end)` in them (LineBlock's fields). */
export interface UnitInput {
  bytes: Uint8Array;
  spans: Uint32Array;
}

/**
 * What a unit of lines came to. Plain data that crosses a worker boundary cheaply: the records
 * are one UTF-8 buffer, transferred rather than copied (see record-bytes.ts).
 */
export interface UnitOutput {
  /** Encoded records (UTF-8 JSON text), in line order, concatenated. */
  records: Uint8Array;
  /** End of each record in `records`, in bytes (the next starts there). */
  recordEnds: number[];
  /** Each record's id (xAPI statement id, Caliper event id). */
  ids: string[];
  /** Each record's source event name. */
  names: string[];
  /** Each record's line, as an index into the unit's lines. */
  recordLine: number[];
  /**
   * With routing: for record r and router i, `routes[r * routerCount + i]` is 1 when the router's
   * match_params match the record's source event. Every record matches at least one router.
   */
  routes?: Uint8Array;
  skips: UnitSkip[];
  /** Notes (e.g. unknown_course) by kind. */
  notes: Record<string, number>;
  /** Non-blank lines. */
  linesRead: number;
  eventsTransformed: number;
}

export async function runtimeFromSettings(settings: LineTransformSettings): Promise<LineTransformRuntime> {
  const runtime: LineTransformRuntime = {
    format: settings.format,
    ctx: await buildTransformContext(settings.context),
    filter: createEventFilter(settings.filter),
    encoding: settings.encoding,
    ...(settings.routing !== undefined ? { routing: compileRouting(settings.routing) } : {}),
  };
  if (settings.identity !== undefined) {
    // Loaded only with --routers: the LMS and database clients are not every replay's to pay for.
    const { openIdentityResolver } = await import('../pipeline/open-identity-resolver.js');
    const opened = await openIdentityResolver(settings.identity.settings, settings.identity.localStore);
    runtime.identity = { resolver: opened.resolver, waitForMs: settings.identity.waitForMs };
    runtime.close = () => opened.close();
  }
  return runtime;
}

/**
 * Parse, select, filter, resolve identities, transform, match and encode a unit of lines, through
 * the routing core as the service's pipeline does. Never rejects on bad input; rejects when
 * identity resolution fails unexpectedly (the replay stops, its checkpoints keep its place).
 */
export async function transformUnit(input: UnitInput, runtime: LineTransformRuntime): Promise<UnitOutput> {
  const out: UnitOutput = {
    records: new Uint8Array(0),
    recordEnds: [],
    ids: [],
    names: [],
    recordLine: [],
    skips: [],
    notes: {},
    linesRead: 0,
    eventsTransformed: 0,
  };
  const bytes = Buffer.from(input.bytes.buffer, input.bytes.byteOffset, input.bytes.byteLength);
  const count = input.spans.length / 2;
  const { routing } = runtime;
  // Statements are about as long as the lines they come from; the buffer grows if need be.
  const records = new RecordBytes(Math.ceil(input.bytes.byteLength * 1.25));
  const routers = routing?.routers ?? [];
  const routerCount = routers.length;
  const matched = new Uint8Array(routerCount);
  const routes: number[] = [];
  const encode =
    runtime.encoding === 'erb-xapi-log' && runtime.format === 'xapi'
      ? (record: TransformedRecord): string => erbXapiLogLine(record as Statement)
      : (record: TransformedRecord): string => JSON.stringify(record);

  /** The line's event when it parses and passes the selection and the backend filter. */
  const select = (index: number): OpenEdxEvent | undefined => {
    const parsed = parseEventLine(bytes.toString('utf8', input.spans[2 * index], input.spans[2 * index + 1]));
    if (parsed.kind === 'blank') return undefined;
    out.linesRead += 1;
    if (parsed.kind === 'error') {
      out.skips.push(
        parsed.name === undefined
          ? { index, reason: parsed.reason, message: parsed.message }
          : { index, reason: parsed.reason, message: parsed.message, name: parsed.name },
      );
      return undefined;
    }
    const event = parsed.event;
    const verdict = runtime.filter(event);
    if (verdict !== undefined) {
      out.skips.push({ index, reason: verdict.reason, message: verdict.message, name: event.name });
      return undefined;
    }
    const backend = routing?.plan.filter(event.name);
    if (backend !== undefined && !backend.pass) {
      out.skips.push({ index, reason: backend.reason, message: backend.message, name: event.name });
      return undefined;
    }
    return event;
  };

  const emit = (index: number, event: OpenEdxEvent, ctx: TransformContext): void => {
    const outcome = transformFor(runtime.format, event, ctx);
    if (!outcome.ok) {
      out.skips.push({ index, reason: outcome.reason, message: outcome.message, name: event.name });
      return;
    }
    if (routing !== undefined && matchRouters(event, routers, matched) === 0) {
      out.skips.push({ index, reason: 'no_matching_router', message: "no router's match_params match the event", name: event.name });
      return;
    }
    out.eventsTransformed += 1;
    for (const note of outcome.notes) out.notes[note] = (out.notes[note] ?? 0) + 1;
    for (const record of outcome.statements) {
      out.recordEnds.push(records.add(encode(record)));
      out.ids.push(String(record.id ?? ''));
      out.names.push(event.name);
      out.recordLine.push(index);
      for (let r = 0; r < routerCount; r++) routes.push(matched[r] as number);
    }
  };

  if (runtime.identity === undefined) {
    // One pass, each event dropped as soon as it is encoded: the workers' young generation is small.
    for (let index = 0; index < count; index++) {
      const event = select(index);
      if (event !== undefined) emit(index, event, runtime.ctx);
    }
  } else {
    // Identities are resolved for the whole unit at once, as the service resolves a batch.
    const indexes: number[] = [];
    const events: OpenEdxEvent[] = [];
    for (let index = 0; index < count; index++) {
      const event = select(index);
      if (event === undefined) continue;
      indexes.push(index);
      events.push(event);
    }
    if (events.length > 0) {
      const resolved = await resolveUntilReady(runtime.identity, events, runtime.ctx);
      events.forEach((event, i) => {
        const index = indexes[i] as number;
        const outcome = resolved.outcomes[i];
        if (outcome !== undefined && !outcome.ready) out.skips.push({ index, reason: 'identity_unavailable', message: outcome.reason, name: event.name });
        else emit(index, event, resolved.ctx);
      });
      // In line order, as they are reported: those found before resolution were listed first.
      out.skips.sort((a, b) => a.index - b.index);
    }
  }
  out.records = records.take().bytes;
  if (routing !== undefined) out.routes = Uint8Array.from(routes);
  return out;
}

/**
 * The service leaves an event whose identity is not available yet in its inbox and tries again
 * later; a replay has no inbox, so it waits here, at most `waitForMs`, and skips what is still
 * not available then (reported as identity_unavailable, so that it can be replayed again).
 */
async function resolveUntilReady(
  identity: NonNullable<LineTransformRuntime['identity']>,
  events: readonly OpenEdxEvent[],
  ctx: TransformContext,
): Promise<ResolvedEvents> {
  const deadline = Date.now() + identity.waitForMs;
  for (;;) {
    const resolved = await resolveIdentities(identity.resolver, events, ctx);
    let wait = Infinity;
    for (const outcome of resolved.outcomes) if (!outcome.ready) wait = Math.min(wait, outcome.retryAfterMs);
    if (wait === Infinity || Date.now() + wait > deadline) return resolved;
    await sleep(wait);
  }
}

/** The buffers of a unit's output that can be handed to another thread without a copy. */
export function outputTransferList(output: UnitOutput): ArrayBuffer[] {
  const list: ArrayBuffer[] = [];
  for (const view of [output.records, output.routes]) {
    if (view !== undefined && view.buffer instanceof ArrayBuffer && !list.includes(view.buffer)) list.push(view.buffer);
  }
  return list;
}

/** A unit of the given lines (tests, callers with text in hand). */
export function unitOf(lines: readonly string[]): UnitInput {
  const parts = lines.map((line) => Buffer.from(line, 'utf8'));
  const spans = new Uint32Array(2 * lines.length);
  let at = 0;
  parts.forEach((part, i) => {
    spans[2 * i] = at;
    spans[2 * i + 1] = at + part.length;
    at += part.length;
  });
  return { bytes: Buffer.concat(parts), spans };
}
