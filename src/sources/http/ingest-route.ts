import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import type { Logger } from 'pino';
import { createTokenCheck } from '../../admin/auth.js';
import type { IngestMetrics } from '../../observability/metrics.js';
import { isDiskFullError, type DiskSpace } from '../../storage/disk-space.js';
import type { BodyError } from './parse-body.js';
import type { StoredBody } from './store-body.js';

export interface IngestRouteDeps {
  /** Reads the body and stores its events durably (the inbox, store-body.ts); resolves once committed. */
  store(text: string): Promise<StoredBody>;
  /** Called after events were stored (wakes the pipeline). */
  onAccepted(count: number): void;
  /** EVENT_ROUTER_INGEST_TOKEN; open when undefined. */
  token: string | undefined;
  /** EVENT_ROUTER_INGEST_MAX_BODY_BYTES. */
  maxBodyBytes: number;
  /** EVENT_ROUTER_INGEST_MAX_IN_FLIGHT. */
  maxInFlight: number;
  /** True once shutdown began: new requests get 503. */
  closing(): boolean;
  metrics: IngestMetrics;
  log: Logger;
  /** Retry-After of a 503, seconds. Default 5. */
  retryAfterSeconds?: number;
  /** The data directory's disk space (storage/disk-space.ts): while full, requests get 507 before their body is read. */
  disk?: Pick<DiskSpace, 'fullReason' | 'reportFull'>;
}

/** Retry-After of a 507: space comes back when an operator frees it or deliveries drain the outbox. */
const DISK_FULL_RETRY_AFTER_SECONDS = '30';

/** Errors listed in a 400 answer at most (all are counted). */
const MAX_LISTED_ERRORS = 100;

/**
 * `POST /events`: one event, a JSON array or NDJSON. The answer comes only after every accepted
 * event is durably stored:
 * - 202 `{accepted}`: all stored;
 * - 400 `{error: "invalid_events", accepted, rejected, errors: [{line, reason, message}]}`: the
 *   good events are stored, the others listed (the first 100);
 * - 401 without the ingest token, 413 over the body limit, 503 + Retry-After when the inbox is
 *   at its bound, too many requests are in flight, or the service is stopping (nothing stored);
 * - 507 + Retry-After while the data directory's disk is full (nothing stored).
 */
export async function registerIngestRoute(server: FastifyInstance, deps: IngestRouteDeps): Promise<void> {
  const authorized = deps.token === undefined ? () => true : createTokenCheck(deps.token);
  const retryAfter = String(deps.retryAfterSeconds ?? 5);
  let inFlight = 0;

  const unavailable = (reply: FastifyReply, error: string, message: string): FastifyReply =>
    reply.code(503).header('retry-after', retryAfter).send({ error, message });
  const diskFull = (reply: FastifyReply, n: number, reason: string): FastifyReply => {
    deps.metrics.rejected('disk_full', n);
    return reply
      .code(507)
      .header('retry-after', DISK_FULL_RETRY_AFTER_SECONDS)
      .send({ error: 'disk_full', message: `the events cannot be stored: ${reason}; send again later` });
  };

  await server.register(async (scope) => {
    // The body is read as text whatever its content type (application/json, application/x-ndjson, text/plain, none).
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string', bodyLimit: deps.maxBodyBytes }, (_request, body, done) => done(null, body));

    scope.addHook('onRequest', async (request, reply) => {
      if (deps.closing()) {
        deps.metrics.rejected('shutting_down', 1);
        return unavailable(reply, 'shutting_down', 'the service is stopping; send again later');
      }
      const full = deps.disk?.fullReason();
      if (full !== undefined) return diskFull(reply, 1, full);
      if (!authorized(request.headers.authorization)) {
        deps.metrics.rejected('unauthorized', 1);
        return reply.code(401).header('www-authenticate', 'Bearer').send({
          error: 'unauthorized',
          message: 'send the ingest token as "Authorization: Bearer <token>"',
        });
      }
      // Bounded memory: at most maxInFlight bodies are read at once.
      if (inFlight >= deps.maxInFlight) {
        deps.metrics.rejected('queue_overflow', 1);
        return unavailable(reply, 'too_many_requests', `${deps.maxInFlight} ingest requests are in flight; send again later`);
      }
      inFlight += 1;
      let released = false;
      reply.raw.once('close', () => {
        if (released) return;
        released = true;
        inFlight -= 1;
      });
    });
    scope.addHook('onResponse', async (_request, reply) => deps.metrics.request(reply.statusCode));

    scope.setErrorHandler((error: FastifyError, request, reply) => {
      if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
        deps.metrics.rejected('body_too_large', 1);
        return reply.code(413).send({
          error: 'body_too_large',
          message: `the body is larger than ${deps.maxBodyBytes} bytes (EVENT_ROUTER_INGEST_MAX_BODY_BYTES); send fewer events per request`,
        });
      }
      if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
        return reply.code(error.statusCode).send({ error: 'bad_request', message: error.message });
      }
      deps.log.error({ err: { message: error.message, code: error.code }, url: request.url }, 'ingest error');
      return unavailable(reply, 'unavailable', 'the events could not be stored; send again later');
    });

    scope.post('/events', async (request, reply) => {
      const text = typeof request.body === 'string' ? request.body : '';
      const stored = await deps.store(text);
      for (const error of stored.errors) deps.metrics.rejected(error.reason, 1);
      if (stored.events === 0 && stored.errors.length === 0) {
        return reply.code(400).send({ error: 'no_events', message: 'the body holds no event', accepted: 0, rejected: 0, errors: [] });
      }
      let accepted = 0;
      if (stored.events > 0) {
        const outcome = stored.outcome;
        if (outcome === null && isDiskFullError(stored.failed)) {
          deps.disk?.reportFull(stored.failed);
          return diskFull(reply, stored.events, deps.disk?.fullReason() ?? 'the disk of the data directory is full');
        }
        if (outcome === null) {
          deps.log.error({ err: { message: stored.failed } }, 'cannot store events in the inbox');
          deps.metrics.rejected('queue_overflow', stored.events);
          return unavailable(reply, 'unavailable', 'the events could not be stored; send again later');
        }
        if (!outcome.ok) {
          deps.metrics.rejected('queue_overflow', stored.events);
          return unavailable(reply, 'queue_overflow', `the inbox is full (${outcome.depth} of ${outcome.maxDepth} events); send again later`);
        }
        accepted = outcome.added;
        deps.metrics.received('http', accepted);
        deps.onAccepted(accepted);
      }
      if (stored.errors.length > 0) {
        return reply.code(400).send({
          error: 'invalid_events',
          message: `${stored.errors.length} of ${stored.errors.length + stored.events} inputs are not events; the others were accepted`,
          accepted,
          rejected: stored.errors.length,
          errors: stored.errors.slice(0, MAX_LISTED_ERRORS) satisfies BodyError[],
        });
      }
      return reply.code(202).send({ accepted });
    });
  });
}
