import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';

/** One readiness check: its name, whether it passes, and a short detail. */
export interface ReadinessCheck {
  name: string;
  ok: boolean;
  detail?: string;
}

export interface HealthRouteDeps {
  /** The checks `/readyz` runs; ready when every one passes. */
  readonly readiness: () => ReadinessCheck[] | Promise<ReadinessCheck[]>;
  readonly registry: Registry;
}

/**
 * Open (no token) operational endpoints beside `/healthz` (liveness, in admin/server.ts):
 * `/readyz` — 200 when the service takes and processes events, else 503 with the failing checks;
 * `/metrics` — Prometheus text format.
 */
export function registerHealthRoutes(server: FastifyInstance, deps: HealthRouteDeps): void {
  server.get('/readyz', async (_request, reply) => {
    const checks = await deps.readiness();
    const ready = checks.every((check) => check.ok);
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', checks });
  });

  server.get('/metrics', async (_request, reply) => {
    const text = await deps.registry.metrics();
    return reply.header('content-type', deps.registry.contentType).send(text);
  });
}
