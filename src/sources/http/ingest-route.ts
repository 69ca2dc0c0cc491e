import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { createThrottledTokenCheck, type TokenVerdict } from '../../http/token-check.js';
import type { FailureThrottle } from '../../http/failure-throttle.js';
import type { IngestRejectReason } from '../../core/drop-reason.js';
import type { IngestMetrics } from '../ingest-metrics.js';
import type { BodyTicket } from './body-budget.js';
import type { IngestPressure } from './ingest-pressure.js';
import { isDiskFullError, type DiskSpace } from '../../storage/disk-space.js';
import type { BodyError } from './parse-body.js';
import { bodyEncoding, readBody, type BodyRead } from './read-body.js';
import type { StoredBody } from './store-body.js';

export interface IngestRouteDeps {
  /** Reads the body and stores its events durably (the inbox, store-body.ts); resolves once committed. */
  store(body: Buffer): Promise<StoredBody>;
  /** Called after events were stored (wakes the pipeline). */
  onAccepted(count: number): void;
  /** EVENT_ROUTER_INGEST_TOKEN; open when undefined. */
  token: string | undefined;
  /** Wrong ingest tokens per client address (admin/auth.ts). */
  throttle: FailureThrottle;
  /** EVENT_ROUTER_ALLOWED_ORIGINS as a check (admin/access-checks.ts). */
  originAllowed(origin: string | string[] | undefined): boolean;
  /** EVENT_ROUTER_INGEST_MAX_BODY_BYTES. */
  maxBodyBytes: number;
  /** EVENT_ROUTER_INGEST_BODY_TIMEOUT, ms. */
  bodyTimeoutMs: number;
  /** The body budget (EVENT_ROUTER_INGEST_MAX_IN_FLIGHT × body limit) and what readiness reads of ingest. */
  pressure: IngestPressure;
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

/** The body as the content-type parser read it (a typed outcome, never a thrown error). */
const BODY_READ = Symbol('bodyRead');
type WithBodyRead = FastifyRequest & { [BODY_READ]?: BodyRead };

/**
 * `POST /events`: one event, a JSON array or NDJSON, optionally gzip-compressed. The answer comes
 * only after every accepted event is durably stored:
 * - 202 `{accepted}`: all stored;
 * - 400 `{error: "invalid_events", accepted, rejected, errors: [{line, reason, message}]}`: the
 *   good events are stored, the others listed (the first 100);
 * - 401 without the ingest token (429 once an address sent too many wrong ones), 403 from a web
 *   page of an origin not allowed, 408 when the body is too slow, 413 over the body limit, 415
 *   for an encoding other than gzip, 503 + Retry-After when the inbox is at its bound, the body
 *   budget is used up, or the service is stopping (nothing stored);
 * - 507 + Retry-After while the data directory's disk is full (nothing stored).
 */
export async function registerIngestRoute(server: FastifyInstance, deps: IngestRouteDeps): Promise<void> {
  const token = deps.token;
  const checkToken: (authorization: string | undefined, address: string) => TokenVerdict =
    token === undefined ? () => ({ ok: true }) : createThrottledTokenCheck(token, deps.throttle);
  const retryAfter = String(deps.retryAfterSeconds ?? 5);
  const { budget } = deps.pressure;
  const tickets = new WeakMap<FastifyRequest, BodyTicket>();

  const refuse = (reply: FastifyReply, status: number, reason: IngestRejectReason, error: string, message: string): FastifyReply => {
    deps.metrics.rejected(reason, 1);
    if (status === 503) reply.header('retry-after', retryAfter);
    return reply.code(status).send({ error, message });
  };
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
    // The body is read as bytes whatever its content type (application/json, application/x-ndjson, text/plain, none).
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', async (request: FastifyRequest) => {
      const ticket = tickets.get(request);
      if (ticket === undefined) throw new Error('ingest: no body ticket for this request');
      const encoding = bodyEncoding(request.headers['content-encoding']);
      const declared = Number(request.headers['content-length']);
      (request as WithBodyRead)[BODY_READ] = await readBody(request.raw, {
        gzip: 'gzip' in encoding && encoding.gzip,
        maxBytes: deps.maxBodyBytes,
        ticket,
        timeoutMs: deps.bodyTimeoutMs,
        ...(Number.isSafeInteger(declared) && declared >= 0 ? { declaredBytes: declared } : {}),
      });
      return null;
    });

    scope.addHook('onRequest', async (request, reply) => {
      if (deps.closing()) return refuse(reply, 503, 'shutting_down', 'shutting_down', 'the service is stopping; send again later');
      if (!deps.originAllowed(request.headers.origin)) {
        return refuse(reply, 403, 'not_allowed', 'origin_not_allowed', 'requests from web pages of this origin are refused (EVENT_ROUTER_ALLOWED_ORIGINS)');
      }
      const verdict = checkToken(request.headers.authorization, request.ip);
      if (!verdict.ok && verdict.status === 429) {
        deps.metrics.rejected('throttled', 1);
        return reply
          .code(429)
          .header('retry-after', String(verdict.retryAfterSeconds))
          .send({
            error: 'too_many_failures',
            message: `too many wrong tokens from this address; wait ${verdict.retryAfterSeconds} s`,
          });
      }
      if (!verdict.ok) {
        deps.metrics.rejected('unauthorized', 1);
        return reply.code(401).header('www-authenticate', 'Bearer').send({
          error: 'unauthorized',
          message: 'send the ingest token as "Authorization: Bearer <token>"',
        });
      }
      const full = deps.disk?.fullReason();
      if (full !== undefined) return diskFull(reply, 1, full);
      const encoding = bodyEncoding(request.headers['content-encoding']);
      if ('unsupported' in encoding) {
        return refuse(
          reply,
          415,
          'bad_encoding',
          'unsupported_encoding',
          `Content-Encoding "${encoding.unsupported}" is not supported; send gzip or no encoding`,
        );
      }
      // A declared length over the limit is refused before anything is read.
      const declared = Number(request.headers['content-length']);
      if (Number.isFinite(declared) && declared > deps.maxBodyBytes) return bodyTooLarge(reply);
      // Bounded memory: the bytes of bodies held at once have a bound, counted as they arrive (body-budget.ts).
      if (Number.isFinite(declared) && !encoding.gzip && declared > budget.limit - budget.used) return tooMany(reply);
      const ticket = budget.open();
      tickets.set(request, ticket);
      reply.raw.once('close', () => ticket.release());
    });
    scope.addHook('onResponse', async (_request, reply) => deps.metrics.request(reply.statusCode));

    const bodyTooLarge = (reply: FastifyReply): FastifyReply =>
      refuse(
        reply,
        413,
        'body_too_large',
        'body_too_large',
        `the body is larger than ${deps.maxBodyBytes} bytes (EVENT_ROUTER_INGEST_MAX_BODY_BYTES); send fewer events per request`,
      );
    const tooMany = (reply: FastifyReply): FastifyReply =>
      refuse(reply, 503, 'too_many_requests', 'too_many_requests', 'too many request bodies are being received at once; send again later');

    scope.setErrorHandler((error: FastifyError, request, reply) => {
      if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
        return reply.code(error.statusCode).send({ error: 'bad_request', message: error.message });
      }
      deps.log.error({ err: { message: error.message, code: error.code }, url: request.url }, 'ingest error');
      return unavailable(reply, 'unavailable', 'the events could not be stored; send again later');
    });

    scope.post('/events', async (request, reply) => {
      const read: BodyRead = (request as WithBodyRead)[BODY_READ] ?? { ok: true, body: Buffer.alloc(0) };
      if (!read.ok) {
        // The rest of the body is not read: the connection closes once the answer is out.
        reply.header('connection', 'close');
        reply.raw.once('finish', () => request.raw.destroy());
        switch (read.reason) {
          case 'body_too_large':
            return refuse(reply, 413, 'body_too_large', 'body_too_large', read.message);
          case 'too_many_requests':
            return refuse(reply, 503, 'too_many_requests', 'too_many_requests', read.message);
          case 'body_timeout':
            return refuse(reply, 408, 'body_timeout', 'body_timeout', read.message);
          case 'bad_encoding':
            return refuse(reply, 400, 'bad_encoding', 'bad_encoding', read.message);
          case 'aborted':
            return reply.code(400).send({ error: 'aborted', message: read.message });
        }
      }
      const stored = await deps.store(read.body);
      for (const error of stored.errors) deps.metrics.rejected(error.reason, 1);
      if (stored.failed !== undefined) {
        if (isDiskFullError(stored.failed)) {
          deps.disk?.reportFull(stored.failed);
          return diskFull(reply, Math.max(stored.events, 1), deps.disk?.fullReason() ?? 'the disk of the data directory is full');
        }
        deps.log.error({ err: { message: stored.failed } }, 'cannot store events in the inbox');
        deps.metrics.rejected('queue_overflow', Math.max(stored.events, 1));
        return unavailable(reply, 'unavailable', 'the events could not be stored; send again later');
      }
      if (stored.events === 0 && stored.errors.length === 0) {
        return reply.code(400).send({ error: 'no_events', message: 'the body holds no event', accepted: 0, rejected: 0, errors: [] });
      }
      let accepted = 0;
      const outcome = stored.outcome;
      if (stored.events > 0 && outcome !== null) {
        if (!outcome.ok) {
          deps.metrics.rejected('queue_overflow', stored.events);
          deps.pressure.refused(stored.events);
          return unavailable(
            reply,
            'queue_overflow',
            `the inbox holds ${outcome.depth} events and takes at most ${outcome.maxDepth} (EVENT_ROUTER_INBOX_MAX_DEPTH): the ${stored.events} events of this request do not fit; send again later`,
          );
        }
        accepted = outcome.added;
        deps.pressure.accepted();
        deps.metrics.received('http', accepted);
        deps.onAccepted(accepted);
      }
      if (stored.errors.length > 0) {
        return reply.code(400).send({
          error: 'invalid_events',
          message: invalidEventsMessage(stored.errors.length, stored.events),
          accepted,
          rejected: stored.errors.length,
          errors: stored.errors.slice(0, MAX_LISTED_ERRORS) satisfies BodyError[],
        });
      }
      return reply.code(202).send({ accepted });
    });
  });
}

/** The 400 answer's summary: the accepted part is spoken of only when there is one. */
export function invalidEventsMessage(rejected: number, events: number): string {
  const head = `${rejected} of ${rejected + events} inputs ${rejected === 1 ? 'is not an event' : 'are not events'}`;
  if (events === 0) return `${head}; nothing was accepted`;
  return `${head}; the other ${events === 1 ? 'one was' : `${events} were`} accepted`;
}
