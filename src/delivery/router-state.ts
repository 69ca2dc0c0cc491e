import type { DeliveryObserver, RouterHealth } from './observer.js';
import type { DeliveryOutcome } from './outcome.js';

export interface RouterStateOptions {
  routerId: string;
  now: () => number;
  observer: DeliveryObserver;
  /** Most requests in flight (the concurrency window never grows past it). */
  maxInFlight: number;
  /** See WorkerSettings.unauthorizedRetryMs. */
  unauthorizedRetryMs: number;
  /** While the circuit is open, one probe request this often, ms. Default 1000. */
  probeIntervalMs?: number;
  /** Largest router-wide wait a Retry-After may impose, ms. Default 60000. */
  maxRetryAfterMs?: number;
}

/** What the worker knows that health depends on. */
export interface WorkerFacts {
  started: boolean;
  running: boolean;
  enabled: boolean;
  inFlight: number;
}

/** The last requests judged for the circuit: it opens when (nearly) all of them failed. */
const WINDOW = 20;
/** Fewest requests before the circuit may open (all of them failed). */
const MIN_SAMPLES = 3;
/** Share of failures in the window that opens the circuit. */
const OPEN_RATIO = 0.9;
/** A retryable failure shrinks the window by this factor; a success adds one request. */
const DECREASE = 0.75;

/**
 * Whether a router may send, how many requests it may have in flight, and its health.
 *
 * A partly failing destination (a load balancer answering 503 now and then) and a down one need
 * different answers. Concurrency adapts per response (AIMD, as TCP and Envoy's adaptive
 * concurrency do): a success adds one request to the window, a failure shrinks it by a quarter, so
 * the window stays near `maxInFlight` while most requests succeed and falls towards one as
 * failures take over. Each failed statement waits its own short backoff (retry-policy.ts); the
 * router does not pause for it.
 *
 * Only when (nearly) every recent request failed does the circuit open: then one probe request
 * goes out every `probeIntervalMs` and nothing else, and the first success closes the circuit
 * with the full window, so a backlog flows again at once. A 429 or a Retry-After says "slower":
 * no request goes out before the wait ends, the window halves, and the circuit is not involved.
 * A 401 holds the router until new credentials arrive or `unauthorizedRetryMs` passes.
 */
export function createRouterState(options: RouterStateOptions) {
  const { routerId, now, observer, unauthorizedRetryMs } = options;
  const maxInFlight = Math.max(1, Math.floor(options.maxInFlight));
  const probeIntervalMs = options.probeIntervalMs ?? 1000;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 60_000;
  let window = maxInFlight;
  let recent: boolean[] = [];
  let open = false;
  let nextProbeAt = 0;
  let waitUntil = 0;
  let unauthorized = false;
  let unauthorizedUntil = 0;
  let lastError: string | null = null;
  let health: RouterHealth | null = null;

  function failed(outcome: Extract<DeliveryOutcome, { status: 'retryable' }>, at: number): void {
    lastError = outcome.error;
    const slower = outcome.response.statusCode === 429 || outcome.retryAfterMs !== undefined;
    if (slower) {
      // The LRS is alive and asks for less: honour the wait, halve the window, leave the circuit alone.
      window = Math.max(1, window / 2);
      const wait = Math.min(maxRetryAfterMs, Math.max(0, outcome.retryAfterMs ?? probeIntervalMs));
      waitUntil = Math.max(waitUntil, at + wait);
      return;
    }
    window = Math.max(1, window * DECREASE);
    recent.push(false);
    if (recent.length > WINDOW) recent.shift();
    const failures = recent.filter((ok) => !ok).length;
    if (!open && recent.length >= MIN_SAMPLES && failures >= OPEN_RATIO * recent.length) {
      open = true;
      nextProbeAt = at + probeIntervalMs;
    } else if (open) {
      nextProbeAt = Math.max(nextProbeAt, at + probeIntervalMs);
    }
  }

  function succeeded(): void {
    unauthorized = false;
    lastError = null;
    if (open) {
      // The destination is back: the whole window at once, so the backlog flows at full speed.
      open = false;
      recent = [];
      window = maxInFlight;
      return;
    }
    window = Math.min(maxInFlight, window + 1);
    recent.push(true);
    if (recent.length > WINDOW) recent.shift();
  }

  /** Epoch ms before which nothing may be sent (0: now). */
  function holdUntil(): number {
    let until = waitUntil;
    if (unauthorized) until = Math.max(until, unauthorizedUntil);
    if (open) until = Math.max(until, nextProbeAt);
    return until;
  }

  function snapshot(facts: WorkerFacts): RouterHealth {
    const at = now();
    const hold = holdUntil();
    const state: RouterHealth['state'] =
      facts.started && !facts.running
        ? 'stopped'
        : !facts.enabled
          ? 'disabled'
          : unauthorized
            ? 'unauthorized'
            : waitUntil > at
              ? 'rate_limited'
              : open
                ? 'circuit_open'
                : 'healthy';
    const since = health?.state === state ? health.since : at;
    return { routerId, state, since, pausedUntil: hold > at ? hold : null, lastError, inFlight: facts.inFlight };
  }

  return {
    /** Epoch ms before which nothing is leased (0 when not held). */
    pausedUntil: holdUntil,
    paused: () => now() < holdUntil(),
    /** The circuit is open: the destination looks down, only probes go out. */
    open: () => open,
    /** Requests that may be in flight now: one while the circuit is open. */
    limit: () => (open ? 1 : Math.max(1, Math.floor(window))),
    /** When the next probe may go out (for items held back while the circuit is open). */
    nextProbeAt: () => Math.max(nextProbeAt, now()),

    /** A probe is going out: the next one waits a full interval. */
    probing(): void {
      if (open) nextProbeAt = now() + probeIntervalMs;
    },

    /** Learns from one request made with the current configuration. */
    afterRequest(outcome: DeliveryOutcome): void {
      const at = now();
      if (outcome.status === 'retryable') {
        failed(outcome, at);
        return;
      }
      if (outcome.status === 'rejected' && outcome.unhealthy) {
        lastError = outcome.error;
        unauthorized = true;
        unauthorizedUntil = Math.max(unauthorizedUntil, at + unauthorizedRetryMs);
        return;
      }
      // Delivered, or a statement refused on its own: either way the destination answers.
      succeeded();
    },

    /**
     * A new URL or new credentials deserve a try now, not after the old destination's troubles;
     * so does an operator's "retry now".
     */
    reset(): void {
      open = false;
      recent = [];
      window = maxInFlight;
      waitUntil = 0;
      unauthorized = false;
      unauthorizedUntil = 0;
    },

    health(facts: WorkerFacts): RouterHealth {
      health = snapshot(facts);
      return health;
    },

    /** Recomputes health and reports a change of state. */
    refresh(facts: WorkerFacts): void {
      const previous = health?.state;
      health = snapshot(facts);
      if (previous !== undefined && health.state !== previous) observer.record({ type: 'health', routerId, health });
    },
  };
}

export type RouterState = ReturnType<typeof createRouterState>;
