import type { DeadLetterReason } from '../core/dead-letter-reason.js';
import type { DeliveryStatus } from './outcome.js';

/** How a router's delivery is doing, for health checks and the admin API. */
export interface RouterHealth {
  routerId: string;
  /**
   * `healthy`: sending (or nothing to send). `circuit_open`: (nearly) every recent request
   * failed, so the destination looks down: one probe request at a time until one succeeds.
   * `rate_limited`: the LRS answered 429 or sent a Retry-After: nothing goes out before the time
   * it asked for (`pausedUntil`). `unauthorized`: 401, waiting for new credentials or the probe
   * interval. `disabled`: the router is off. `stopped`: shut down.
   */
  state: 'healthy' | 'circuit_open' | 'rate_limited' | 'unauthorized' | 'disabled' | 'stopped';
  /** Epoch ms of the last change of state. */
  since: number;
  /** Epoch ms before which nothing is sent, or null. */
  pausedUntil: number | null;
  lastError: string | null;
  inFlight: number;
}

/**
 * Everything delivery reports (architecture §14): the composition root turns these into
 * Prometheus metrics and logs; tests record them.
 */
export type DeliveryEvent =
  | { type: 'request'; routerId: string; statements: number; bytes: number }
  | {
      type: 'response';
      routerId: string;
      statements: number;
      status: DeliveryStatus;
      statusCode?: number;
      errorCode?: string;
      durationMs: number;
    }
  /** `latenciesMs`: per statement, from enqueue to acknowledgement. */
  | { type: 'delivered'; routerId: string; count: number; latenciesMs: number[] }
  | { type: 'retried'; routerId: string; count: number; error: string; retryInMs: number }
  | { type: 'dead_lettered'; routerId: string; count: number; reason: DeadLetterReason; error: string }
  | { type: 'health'; routerId: string; health: RouterHealth }
  /** Something broke inside the worker (the queue failed); items return when their lease ends. */
  | { type: 'worker_error'; routerId: string; error: string };

export interface DeliveryObserver {
  record(event: DeliveryEvent): void;
}

export const NOOP_OBSERVER: DeliveryObserver = { record: () => {} };
