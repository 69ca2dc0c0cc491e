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
  rejected: number;
  /** Of `rejected`, those refused as a `conflict`. */
  conflicts: number;
}

/**
 * `replay --routers`: delivers to the configured routers as `serve` does — the backend's
 * filters, each router's match_params on the source event (both in the transform workers), its
 * override_args, headers and auth — straight from the replay, each router with the delivery
 * stage's transport, classify, retries and bisect (endpoint-sender.ts). A batch is accepted once
 * every router that takes some of its records accepted its part: a router that stays down stops
 * the replay at that batch, and the next run sends the batch again to every router (the ids are
 * deterministic, and an LRS skips a statement it already holds unchanged).
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
  const counts: RouterCounts[] = options.routers.map(() => ({ batches: 0, delivered: 0, rejected: 0, conflicts: 0 }));
  const ids = options.routers.map(({ delivery }) => delivery.id);
  const accepted = (): EndpointOutcome => ({ status: 'accepted', delivered: 0, rejected: [] });

  return {
    description: `${options.format} routers ${ids.map((id) => id.slice(0, 8)).join(', ')}`,
    checkpointKey: `${options.format}-routers:${[...ids].sort().join(',')}`,
    routing: {
      backend: options.format,
      processors: options.processors,
      routers: options.routers.map(({ delivery, configurations }) => ({ id: delivery.id, configurations })),
    },
    async send(batch, _meta, signal): Promise<SendOutcome> {
      const outcomes = await Promise.all(
        senders.map((send, i) => {
          const part = batch.filter((record) => record.routes?.[i] === 1);
          return part.length === 0 ? accepted() : send(part, signal);
        }),
      );
      const failures = outcomes.flatMap((outcome) => (outcome.status === 'failed' ? [outcome.error] : []));
      if (failures.length > 0) return { status: 'failed', error: failures.join('; ') };

      // A record is rejected when some router refused it; a conflict when every refusal was one.
      const refusals = new Map<ReplayRecord, RejectedRecord[]>();
      outcomes.forEach((outcome, i) => {
        if (outcome.status !== 'accepted') return;
        const count = counts[i] as RouterCounts;
        if (outcome.delivered + outcome.rejected.length > 0) count.batches += 1;
        count.delivered += outcome.delivered;
        count.rejected += outcome.rejected.length;
        for (const refusal of outcome.rejected) {
          if (refusal.reason === 'conflict') count.conflicts += 1;
          const named = { ...refusal, error: `${names[i] as string}: ${refusal.error}` };
          refusals.set(refusal.record, [...(refusals.get(refusal.record) ?? []), named]);
        }
      });
      const rejected: RejectedRecord[] = [...refusals].map(([record, all]) => ({
        record,
        reason: all.every((refusal) => refusal.reason === 'conflict') ? 'conflict' : 'rejected',
        error: all.map((refusal) => refusal.error).join('; '),
      }));
      return { status: 'accepted', rejected };
    },
    details() {
      const n = (value: number): string => value.toLocaleString('en-US');
      return options.routers.map((_, i) => {
        const count = counts[i] as RouterCounts;
        const conflicts = count.conflicts > 0 ? ` (${n(count.conflicts)} conflicts)` : '';
        return `  ${names[i] as string}: sent ${n(count.delivered)} in ${n(count.batches)} batches, rejected ${n(count.rejected)}${conflicts}`;
      });
    },
    close: () => transport.close(),
  };
}
