import type { DeliveryQueue, LeasedItem, PendingSummary } from '../queue/port.js';
import { batchDecision } from './batch-gate.js';
import { sendWithBisect } from './bisect.js';
import { dedupeByEventId } from './dedupe.js';
import { createDestinationTransport } from './destination-transport.js';
import type { HttpTransportOptions } from './http-transport.js';
import { createInFlight } from './in-flight.js';
import { type DeliveryObserver, NOOP_OBSERVER, type RouterHealth } from './observer.js';
import { reportPlan } from './report-plan.js';
import { createRetryPolicy, type RetryPolicy } from './retry-policy.js';
import { type DeliveryRouter, sameDestination } from './router-config.js';
import { createRouterState } from './router-state.js';
import { sendBatch } from './send-batch.js';
import { planSettlements } from './settle-plan.js';
import type { Transport } from './transport.js';

/** Settings shared by every router's worker; the composition root fills them from config. */
export interface WorkerSettings {
  queue: DeliveryQueue;
  /** Caliper envelope `sensor` (ERB: LMS_ROOT_URL). */
  caliperSensor: string;
  /** HTTP timeouts and pooling; `connections` defaults to `maxInFlight`. */
  http?: HttpTransportOptions;
  /** EVENT_ROUTER_FILE_ROUTES_DIR: where `file://` routes may write; undefined refuses them. */
  fileRoutesDir?: string | undefined;
  /** Builds the transport of a destination (tests inject one). Default: HTTP + file:// transport. */
  createTransport?: () => Transport;
  retryPolicy?: RetryPolicy;
  observer?: DeliveryObserver;
  /** Requests in flight per router. Default 4. */
  maxInFlight?: number;
  /** Lease on items being sent, ms; must outlast a bisected batch. Default 300000. */
  leaseMs?: number;
  /** Look at the outbox this often when nothing wakes the worker (due retries), ms. Default 1000. */
  idlePollMs?: number;
  /** After a 401, try again after this long if the credentials do not change, ms. Default 60000. */
  unauthorizedRetryMs?: number;
  /** While the destination looks down (circuit open), one probe request this often, ms. Default 1000. */
  probeIntervalMs?: number;
  /** Clock in epoch ms. Default Date.now. */
  now?: () => number;
}

/** Delivers one router's outbox (architecture §13 lifecycle: start, flush, shutdown). */
export interface DeliveryWorker {
  readonly routerId: string;
  /** Begins leasing and sending. Nothing happens before. */
  start(): void;
  /** New items may be in the outbox: look now instead of at the next poll. */
  notify(): void;
  /** Applies an edited router (same id) at once: URL, credentials, batching, enabled. */
  update(router: DeliveryRouter): void;
  health(): RouterHealth;
  /** An operator asks for an attempt now: ends the router's wait (circuit, Retry-After, 401 hold) and looks at once. */
  retryNow(): void;
  /** Sends what is ready without waiting for batches to fill; true when nothing ready or in flight remains. */
  flush(timeoutMs: number): Promise<boolean>;
  /** Stops leasing, lets requests finish until the deadline, then aborts them (items go back). Idempotent. */
  shutdown(timeoutMs?: number): Promise<void>;
}

/** What `pending` would have said of these items, leased because they were all that was ready. */
function summaryOf(items: readonly LeasedItem[]): PendingSummary {
  let oldest: number | null = null;
  let retrying = false;
  for (const item of items) {
    if (oldest === null || item.enqueuedAt < oldest) oldest = item.enqueuedAt;
    if (item.attempts > 0) retrying = true;
  }
  return { ready: items.length, oldestReadyAt: oldest, retrying };
}

export function createDeliveryWorker(initial: DeliveryRouter, settings: WorkerSettings): DeliveryWorker {
  const { queue } = settings;
  const now = settings.now ?? Date.now;
  const observer = settings.observer ?? NOOP_OBSERVER;
  const policy = settings.retryPolicy ?? createRetryPolicy();
  const maxInFlight = Math.max(1, settings.maxInFlight ?? 4);
  const leaseMs = settings.leaseMs ?? 300_000;
  const idlePollMs = settings.idlePollMs ?? 1000;
  const newTransport =
    settings.createTransport ?? (() => createDestinationTransport({ connections: maxInFlight, ...settings.http }, { root: settings.fileRoutesDir }));
  const routerId = initial.id;
  const report = (error: unknown): void => observer.record({ type: 'worker_error', routerId, error: error instanceof Error ? error.message : String(error) });

  let router = initial;
  let transport = newTransport();
  const inFlight = createInFlight(maxInFlight, report);
  const abort = new AbortController();
  const sendContext = { caliperSensor: settings.caliperSensor, observer, now, signal: abort.signal };
  const state = createRouterState({
    routerId,
    now,
    observer,
    maxInFlight,
    unauthorizedRetryMs: settings.unauthorizedRetryMs ?? 60_000,
    ...(settings.probeIntervalMs !== undefined ? { probeIntervalMs: settings.probeIntervalMs } : {}),
  });
  let started = false;
  let running = false;
  let stopping: Promise<void> | null = null;
  let flushing = 0;
  let pumping = false;
  let pumpAgain = false;
  let backlog = false;
  let timer: NodeJS.Timeout | null = null;

  const facts = () => ({ started, running, enabled: router.enabled !== false, inFlight: inFlight.size });
  const mayLease = (): boolean => running && router.enabled !== false && !state.paused();

  function wake(atMs: number): void {
    if (!running) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(
      () => {
        timer = null;
        void pump();
      },
      Math.max(0, atMs - now()),
    );
    timer.unref();
  }

  /** Fills the in-flight slots, then sleeps until the next reason to look (batch due, pause over, poll). */
  async function pump(): Promise<void> {
    if (pumping) {
      pumpAgain = true;
      return;
    }
    pumping = true;
    let nextWake = now() + idlePollMs;
    try {
      do {
        pumpAgain = false;
        const waitUntil = await fill();
        if (waitUntil !== null) nextWake = Math.min(nextWake, waitUntil);
      } while (pumpAgain && running);
    } catch (error) {
      report(error);
    } finally {
      pumping = false;
    }
    state.refresh(facts());
    // Paused: nothing to do before the pause ends; a notify or an update looks again sooner.
    if (state.paused()) nextWake = state.pausedUntil();
    wake(nextWake);
  }

  /** Leases and starts sends up to the in-flight limit; returns when a partial batch is due, if waiting for one. */
  async function fill(): Promise<number | null> {
    while (mayLease() && inFlight.size < state.limit()) {
      const config = router;
      // The circuit is open: one cheap probe (a single statement) instead of a batch.
      const probe = state.open();
      let size = state.limit() - inFlight.size; // unbatched: one request per statement, a slot each
      const limit = probe ? 1 : Math.max(1, Math.floor(config.batching.size));
      // The last lease filled a whole batch: under a backlog, lease at once and judge what came,
      // rather than ask the outbox first what is ready (a second query for every batch).
      const judgeLeased = config.batching.enabled && backlog;
      if (config.batching.enabled && !judgeLeased) {
        const decision = batchDecision(config.batching, await queue.pending(routerId, limit), now(), flushing > 0);
        if (decision.kind === 'idle') return null;
        if (decision.kind === 'wait') return decision.untilMs;
        size = probe ? 1 : decision.size;
      } else if (judgeLeased) {
        size = limit;
      }
      const leased = await queue.lease(routerId, size, leaseMs);
      backlog = config.batching.enabled && !probe && leased.length === limit;
      if (leased.length === 0) return null;
      if (judgeLeased && !backlog) {
        // The backlog has ended: this partial batch waits like any other, unless it is due.
        const decision = batchDecision(config.batching, summaryOf(leased), now(), flushing > 0);
        if (decision.kind !== 'send') {
          await queue.release(leased.map((item) => item.id));
          return decision.kind === 'wait' ? decision.untilMs : null;
        }
      }
      if (!mayLease() || router !== config) {
        // Edited, disabled or stopped while leasing: give them back and look again.
        backlog = false;
        await queue.release(leased.map((item) => item.id));
        continue;
      }
      if (probe) state.probing();
      const batches = config.batching.enabled ? [leased] : leased.map((item) => [item]);
      for (const batch of batches) {
        if (!inFlight.tryRun(() => deliver(batch, config, transport))) {
          await queue.release(batch.map((item) => item.id));
        }
      }
    }
    return null;
  }

  /** Sends one leased batch (bisecting on refusal) and settles every item in one transaction. */
  async function deliver(items: LeasedItem[], config: DeliveryRouter, via: Transport): Promise<void> {
    const { unique, repeatsOf, conflicting } = dedupeByEventId(items);
    const groups = await sendWithBisect(unique, async (batch) => {
      const outcome = await sendBatch(config, via, batch, sendContext);
      // Only a request made with the current configuration tells about the destination.
      if (config === router) state.afterRequest(outcome);
      return outcome;
    });
    const at = now();
    const plan = planSettlements(groups, repeatsOf, {
      nowMs: at,
      policy,
      shuttingDown: abort.signal.aborted,
      holdUntil: state.open() ? state.nextProbeAt() : null,
      conflicting,
    });
    try {
      await queue.settle(plan.settlements);
    } catch (error) {
      // Unsettled items come back when their lease expires (or at restart): at least once.
      report(error);
      return;
    }
    reportPlan(plan, routerId, observer, at);
    state.refresh(facts());
    if (running) void pump();
  }

  function replaceTransport(): void {
    const old = transport;
    transport = newTransport();
    // Requests already sent on the old one finish first.
    void inFlight.drain(leaseMs).then(() => old.close(), report);
  }

  return {
    routerId,
    start() {
      if (started) return;
      started = true;
      running = true;
      state.refresh(facts());
      void pump();
    },
    notify() {
      if (running) void pump();
    },
    update(next) {
      if (next.id !== routerId) throw new Error(`router ${next.id} given to the worker of ${routerId}`);
      if (stopping) return;
      const previous = router;
      router = next;
      if (!sameDestination(previous, next)) {
        replaceTransport();
        state.reset();
      }
      state.refresh(facts());
      if (running) void pump();
    },
    health: () => state.health(facts()),
    retryNow() {
      if (stopping) return;
      state.reset();
      state.refresh(facts());
      if (running) void pump();
    },
    async flush(timeoutMs) {
      const deadline = now() + timeoutMs;
      flushing += 1;
      try {
        while (running) {
          void pump();
          await new Promise((resolve) => setTimeout(resolve, 10));
          if (inFlight.size === 0 && !pumping) {
            if ((await queue.pending(routerId, 1)).ready === 0) return true;
            // Disabled, stopped, or held past the deadline: what is ready will not go out in time.
            if (!mayLease() && !(running && router.enabled !== false && state.pausedUntil() < deadline)) return false;
          }
          if (now() >= deadline) return false;
        }
        return false;
      } catch (error) {
        report(error);
        return false;
      } finally {
        flushing -= 1;
      }
    },
    shutdown(timeoutMs = 10_000) {
      stopping ??= (async () => {
        running = false;
        if (timer) clearTimeout(timer);
        timer = null;
        if (!(await inFlight.drain(timeoutMs))) {
          abort.abort();
          await inFlight.drain(Math.min(timeoutMs, 5000));
        }
        await transport.close().catch(report);
        state.refresh(facts());
      })();
      return stopping;
    },
  };
}
