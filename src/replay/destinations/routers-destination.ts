import { DEFAULT_DESTINATIONS, destinationGuard, type DestinationPolicy } from '../../routers/destination-policy.js';
import { createDestinationTransport } from '../../delivery/destination-transport.js';
import { createRetryPolicy, type RetryPolicy } from '../../delivery/retry-policy.js';
import type { DeliveryRouter } from '../../delivery/router-config.js';
import type { BackendProcessor } from '../../filters/backend-filter.js';
import type { JsonObject } from '../../core/event.js';
import type { OutputFormat } from '../../transforms/transform-event.js';
import type { RejectedRecord, ReplayDestination, ReplayRecord, SendOutcome } from '../destination.js';
import { createEndpointSender, type EndpointOutcome } from './endpoint-sender.js';
import { redacted } from './redact-url.js';

/** One configured router, as the replay delivers to it. */
export interface ReplayRouter {
  /** URL, auth, headers and override_args, as serve's delivery uses them. */
  delivery: DeliveryRouter;
  /** ERB `configurations` (match_params are applied in the transform workers). */
  configurations: JsonObject | null;
}

export interface RoutersDestinationOptions {
  format: OutputFormat;
  /** Enabled routers of the format's backend that compile; at least one. */
  routers: readonly ReplayRouter[];
  /** The backend's filter chain (EVENT_ROUTER_BACKEND_PROCESSORS and the allow-list setting). */
  processors: readonly BackendProcessor[];
  /** Caliper envelope `sensor`. */
  caliperSensor: string;
  /** Longest one request may take, ms. Default 30000. */
  timeoutMs?: number;
  /** How long one batch may keep failing at one router before the replay stops, ms. Default 300000. */
  retryForMs?: number;
  /** Keep-alive connections per router origin. Default 4. */
  connections?: number;
  /** Tests pass a fast policy. Default: 1 s doubling to 30 s, ±20 % jitter, within `retryForMs`. */
  retryPolicy?: RetryPolicy;
  /** Where routers may send (settings), as in `serve`. Default: the defaults of the settings. */
  destinations?: DestinationPolicy;
}

interface RouterCounts {
  batches: number;
  delivered: number;
  alreadyStored: number;
  rejected: number;
}

/**
 * `replay --routers`: delivers to the configured routers as `serve` does — the backend's
 * filters, each router's match_params on the source event (both in the transform workers), its
 * override_args, headers and auth — straight from the replay, each router with the delivery
 * stage's transport, classify, retries and bisect (endpoint-sender.ts). A batch is accepted once
 * every router that takes some of its records accepted its part: a router that stays down stops
 * the replay at that batch, and the next run sends the batch again to every router (the ids are
 * deterministic, so a repeat is a 409 or a harmless duplicate write).
 */
export function createRoutersDestination(options: RoutersDestinationOptions): ReplayDestination & { details(): string[] } {
  if (options.routers.length === 0) throw new Error('no routers to replay to');
  const destinations = options.destinations ?? DEFAULT_DESTINATIONS;
  const guard = destinationGuard(destinations);
  const transport = createDestinationTransport(
    { timeoutMs: options.timeoutMs ?? 30_000, connections: options.connections ?? 4, ...(guard ? { guard } : {}) },
    { root: destinations.fileRoutesDir },
  );
  const policy = options.retryPolicy ?? createRetryPolicy({ initialDelayMs: 1000, maxDelayMs: 30_000, maxAgeMs: options.retryForMs ?? 300_000 });
  const names = options.routers.map(({ delivery }) => `router ${delivery.id} (${redacted(delivery.url)})`);
  const senders = options.routers.map(({ delivery }, i) =>
    createEndpointSender({ router: delivery, transport, policy, caliperSensor: options.caliperSensor, name: names[i] as string }),
  );
  const counts: RouterCounts[] = options.routers.map(() => ({ batches: 0, delivered: 0, alreadyStored: 0, rejected: 0 }));
  const ids = options.routers.map(({ delivery }) => delivery.id);
  const accepted = (): EndpointOutcome => ({ status: 'accepted', delivered: 0, alreadyStored: [], rejected: [] });

  return {
    description: `${options.format} routers ${ids.map((id) => id.slice(0, 8)).join(', ')}`,
    checkpointKey: `${options.format}-routers:${[...ids].sort().join(',')}`,
    routing: {
      backend: options.format,
      processors: options.processors,
      routers: options.routers.map(({ delivery, configurations }) => ({ id: delivery.id, configurations })),
    },
    async send(batch, _meta, signal): Promise<SendOutcome> {
      const outcomes = await Promise.all(senders.map((send, i) => {
        const part = batch.filter((record) => record.routes?.[i] === 1);
        return part.length === 0 ? accepted() : send(part, signal);
      }));
      const failures = outcomes.flatMap((outcome) => (outcome.status === 'failed' ? [outcome.error] : []));
      if (failures.length > 0) return { status: 'failed', error: failures.join('; ') };

      // A record is rejected when some router refused it, already stored when every router taking it had it.
      const refusals = new Map<ReplayRecord, string[]>();
      const stored = new Map<ReplayRecord, number>();
      outcomes.forEach((outcome, i) => {
        if (outcome.status !== 'accepted') return;
        const count = counts[i] as RouterCounts;
        if (outcome.delivered + outcome.rejected.length > 0) count.batches += 1;
        count.delivered += outcome.delivered;
        count.alreadyStored += outcome.alreadyStored.length;
        count.rejected += outcome.rejected.length;
        for (const { record, error } of outcome.rejected) refusals.set(record, [...(refusals.get(record) ?? []), `${names[i] as string}: ${error}`]);
        for (const record of outcome.alreadyStored) stored.set(record, (stored.get(record) ?? 0) + 1);
      });
      const rejected: RejectedRecord[] = [...refusals].map(([record, errors]) => ({ record, error: errors.join('; ') }));
      let alreadyStored = 0;
      for (const [record, routers] of stored) if (!refusals.has(record) && routers === takers(record)) alreadyStored += 1;
      return { status: 'accepted', alreadyStored, rejected };
    },
    details() {
      const n = (value: number): string => value.toLocaleString('en-US');
      return options.routers.map((_, i) => {
        const count = counts[i] as RouterCounts;
        const stored = count.alreadyStored > 0 ? ` (${n(count.alreadyStored)} already stored)` : '';
        return `  ${names[i] as string}: sent ${n(count.delivered)} in ${n(count.batches)} batches${stored}, rejected ${n(count.rejected)}`;
      });
    },
    close: () => transport.close(),
  };
}

function takers(record: ReplayRecord): number {
  let total = 0;
  for (const taken of record.routes ?? []) total += taken;
  return total;
}
