import type { ReadinessCheck } from '../admin/routes/health.js';
import type { Settings } from '../config/schema.js';
import type { EventInbox } from '../queue/inbox/port.js';
import type { PipelineHost } from '../pipeline/pipeline-host.js';
import type { IngestPressure } from '../sources/http/ingest-pressure.js';
import type { Follower } from '../sources/follower/follower.js';
import { diskReadiness, type DiskSpace } from '../storage/disk-space.js';
import type { BusComponent } from './bus-component.js';

/**
 * `/readyz` is a list of named conditions; the service is ready when every one holds. The rule:
 * not ready whenever ingest would refuse (so that a load balancer sends elsewhere), and each
 * condition says why. A new reason to refuse is one more entry in `readinessConditions`.
 */
export interface ReadinessCondition {
  readonly name: string;
  check(): { ok: boolean; detail?: string };
}

export interface ReadinessParts {
  readonly settings: Settings;
  /** Started and not stopping (the lifecycle). */
  readonly lifecycle: { readonly started: boolean; readonly closing: boolean };
  readonly pipeline: PipelineHost;
  readonly inbox: EventInbox;
  /** HTTP ingest, when it runs (not under `consume`). */
  readonly ingest: IngestPressure | undefined;
  readonly bus: BusComponent | undefined;
  /** The tracking-log follower, when it runs. */
  readonly follower?: Follower | undefined;
  /** Free space of the data directory: a full disk refuses ingest (507). */
  readonly disk?: Pick<DiskSpace, 'fullReason'> | undefined;
  readonly now?: () => number;
}

/** How long the body budget may stay without room for a full-size body before readiness fails. */
export const INGEST_FULL_GRACE_MS = 5000;

export function readinessConditions(parts: ReadinessParts): ReadinessCondition[] {
  const { settings, lifecycle, pipeline, inbox, ingest, bus } = parts;
  const now = parts.now ?? Date.now;
  const conditions: ReadinessCondition[] = [
    {
      name: 'accepting',
      check: () => ({
        ok: lifecycle.started && !lifecycle.closing,
        ...(lifecycle.closing ? { detail: 'stopping' } : lifecycle.started ? {} : { detail: 'starting' }),
      }),
    },
    { name: 'pipeline', check: () => ({ ok: pipeline.healthy() }) },
    {
      name: 'routers',
      check: () => {
        const routing = pipeline.routing();
        return { ok: routing.version >= 0, detail: `version ${routing.version}, ${routing.active} active` };
      },
    },
    {
      name: 'inbox',
      check: () => {
        const depth = inbox.stats().depth;
        const max = settings.EVENT_ROUTER_INBOX_MAX_DEPTH;
        const detail = `${depth} of at most ${max} events`;
        // Not ready from 90 % of the bound (ingest is about to refuse), nor while the last request
        // the inbox refused would still not fit.
        const refused = ingest?.lastRefusedEvents ?? 0;
        if (refused > 0 && depth + refused > max) return { ok: false, detail: `${detail}; a request of ${refused} events was refused and would not fit yet` };
        return { ok: depth < max * 0.9, detail };
      },
    },
  ];
  if (ingest !== undefined) {
    conditions.push({
      name: 'ingest',
      check: () => {
        const { budget } = ingest;
        const detail = `${mib(budget.used)} of ${mib(budget.limit)} MiB of request bodies held`;
        const since = budget.fullSince();
        if (since === undefined || now() - since < INGEST_FULL_GRACE_MS) return { ok: true, detail };
        return { ok: false, detail: `${detail}; no room for a full-size body for ${Math.round((now() - since) / 1000)} s` };
      },
    });
  }
  if (bus) conditions.push({ name: 'bus', check: () => ({ ok: bus.ready(), detail: bus.description }) });
  const follower = parts.follower;
  if (follower) conditions.push({ name: 'follow', check: () => ({ ok: follower.ready(), detail: follower.description }) });
  const disk = parts.disk;
  if (disk) conditions.push({ name: 'disk', check: () => diskReadiness(disk) });
  return conditions;
}

/** Runs every condition; one that throws fails with its message. */
export function checkReadiness(conditions: readonly ReadinessCondition[]): ReadinessCheck[] {
  return conditions.map((condition) => {
    try {
      return { name: condition.name, ...condition.check() };
    } catch (error) {
      return { name: condition.name, ok: false, detail: error instanceof Error ? error.message : String(error) };
    }
  });
}

const mib = (bytes: number): string => (bytes / (1024 * 1024)).toFixed(1);
