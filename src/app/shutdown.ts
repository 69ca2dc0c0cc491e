import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Settings } from '../config/schema.js';
import type { DeliveryService } from '../delivery/delivery-service.js';
import type { PipelineHost } from '../pipeline/pipeline-host.js';
import type { RouterStore, Watch } from '../storage/router-store.js';
import type { Follower } from '../sources/follower/follower.js';
import type { BusComponent } from './bus-component.js';
import type { PortReservation } from './port-reservation.js';

export interface LifecycleParts {
  readonly settings: Settings;
  readonly logger: Logger;
  readonly server: FastifyInstance;
  readonly delivery: DeliveryService;
  readonly pipeline: PipelineHost;
  readonly bus: BusComponent | undefined;
  readonly follower: Follower | undefined;
  readonly routers: RouterStore;
  /** Closes every component in reverse order of construction (idempotent parts). */
  readonly closeAll: () => Promise<void>;
  /** The listen address, bound before the stores were opened; released just before the server binds it. */
  readonly reservation: PortReservation;
}

export interface Lifecycle {
  start(): Promise<string>;
  stop(): Promise<void>;
  /** True until `start()` is done and from the start of `stop()`: ingest answers 503 and /readyz fails. */
  readonly closing: boolean;
  /** True once `start()` has finished. */
  readonly started: boolean;
  readonly url: string | undefined;
}

/**
 * Start and shutdown order of the service (architecture §13). Start: the HTTP server (first, so
 * that a taken port fails before anything runs; ingest answers 503 until the start is done),
 * delivery (it owns the outbox leases), the pipeline, router-change propagation, the bus consumer,
 * the file follower. Stop (SIGTERM): refuse new ingest → stop the bus consumer and the follower →
 * drain the pipeline → flush delivery
 * within EVENT_ROUTER_SHUTDOWN_TIMEOUT → close; what is left stays in the inbox and the outbox.
 */
export function createShutdown(parts: LifecycleParts): Lifecycle {
  const { settings, logger, server, delivery, pipeline, bus, follower, routers } = parts;
  let started = false;
  let closing = false;
  let url: string | undefined;
  let watch: Watch | undefined;
  let stopping: Promise<void> | undefined;

  return {
    get closing() {
      // Until started the server may already listen, but the pipeline does not take events yet.
      return closing || !started;
    },
    get started() {
      return started;
    },
    get url() {
      return url;
    },
    async start() {
      const { reservation } = parts;
      await reservation.release();
      await server.listen({ host: settings.EVENT_ROUTER_HOST, port: reservation.port });
      await delivery.start();
      await pipeline.start();
      // Router edits reach the pipeline and delivery at once (API) or within a second (CLI, other processes).
      watch = routers.watch(
        () => {
          void delivery.refresh();
          pipeline.routersChanged();
        },
        { intervalMs: 1000 },
      );
      const address = server.server.address();
      const port = typeof address === 'object' && address !== null ? address.port : reservation.port;
      const host = settings.EVENT_ROUTER_HOST.includes(':') ? `[${settings.EVENT_ROUTER_HOST}]` : settings.EVENT_ROUTER_HOST;
      url = `http://${host}:${port}`;
      if (bus) await bus.start();
      if (follower) await follower.start();
      started = true;
      // Events left in the inbox by the previous run.
      pipeline.wake();
      logger.info({ url, pipelineThread: settings.EVENT_ROUTER_PIPELINE_THREAD, bus: bus?.description }, 'listening');
      return url;
    },
    stop() {
      stopping ??= (async () => {
        closing = true;
        const budgetMs = settings.EVENT_ROUTER_SHUTDOWN_TIMEOUT * 1000;
        const deadline = Date.now() + budgetMs;
        const left = (): number => Math.max(0, deadline - Date.now());
        logger.info({ timeoutMs: budgetMs }, 'stopping: ingest closed, draining');
        if (bus) await bus.stop().catch((error: unknown) => logger.error({ err: error }, 'bus consumer stop failed'));
        if (follower) await follower.stop().catch((error: unknown) => logger.error({ err: error }, 'follower stop failed'));
        // Half the budget to turn accepted events into outbox items, the rest to send them.
        const drained = started ? await pipeline.drain(Math.floor(left() / 2)) : true;
        const flushed = started ? await delivery.flush(Math.max(0, left() - 500)) : true;
        await delivery.shutdown(Math.max(500, left()));
        await pipeline.stop();
        watch?.close();
        await server.close().catch(() => undefined);
        await parts.closeAll();
        logger.info({ drained, flushed }, drained && flushed ? 'stopped' : 'stopped; the rest stays queued for the next start');
      })();
      return stopping;
    },
  };
}
