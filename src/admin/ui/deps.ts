import type { Logger } from 'pino';
import type { RouterHealth } from '../../delivery/observer.js';
import type { DeliveryQueue } from '../../queue/port.js';
import type { DestinationPolicy } from '../../routers/destination-policy.js';
import type { RemoveRouter } from '../../queue/remove-router.js';
import type { RouterStore } from '../../storage/router-store.js';
import type { CountersSnapshot } from './counters.js';

/** What the admin page needs from the composition root. */
export interface AdminUiDeps {
  /** The router store (the same one the admin API uses). */
  readonly routers: RouterStore;
  /** Deletes a router with its queued statements and dead letters (the same as the admin API's DELETE). */
  readonly removeRouter: RemoveRouter;
  /** The outbox: per-router depth and oldest age (`stats`), and the dead letters. */
  readonly queue: Pick<DeliveryQueue, 'stats' | 'deadLetters'>;
  /** Counts since start per router; see `createDeliveryCounters` for a ready-made source. */
  readonly counters: () => CountersSnapshot | Promise<CountersSnapshot>;
  /** Delivery health per router (`DeliveryService.health`); without it health shows "unknown". */
  readonly health?: () => readonly RouterHealth[];
  /**
   * "Retry now" (`DeliveryService.retryNow`): the router's waiting statements become due and its
   * worker stops waiting; resolves with how many were waiting. Without it the button does nothing.
   */
  readonly retryNow?: (routerId: string) => Promise<number>;
  /** Where routers may send (settings); the defaults of the settings when absent. */
  readonly destinations?: DestinationPolicy;
  /** The admin token: the password of user "admin", and the key the session cookies are signed with. */
  readonly adminToken: string;
  readonly log: Logger;
  /**
   * Mark cookies `Secure`. Default: only when the request came over HTTPS as fastify sees it
   * (set `true` behind a TLS-terminating proxy without `trustProxy`).
   */
  readonly secureCookies?: boolean;
  /** How long a sign-in lasts, ms. Default 8 hours. */
  readonly sessionTtlMs?: number;
  /** How often the overview and router list refresh their counters, ms. Default 3000. */
  readonly refreshIntervalMs?: number;
  /** How often the overview's last-hour charts take a sample, ms. Default 30000. */
  readonly chartSampleMs?: number;
  /** Clock in epoch ms (tests). Default Date.now. */
  readonly now?: () => number;
}

export const CHART_WINDOW_MS = 60 * 60 * 1000;
export const DEFAULT_CHART_SAMPLE_MS = 30_000;
export const DEFAULT_SESSION_TTL_MS = 8 * 60 * 60 * 1000;
export const DEFAULT_REFRESH_INTERVAL_MS = 3000;
