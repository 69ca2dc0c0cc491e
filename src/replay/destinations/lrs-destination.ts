import { createHttpTransport } from '../../delivery/http-transport.js';
import { statementsUrl } from '../../delivery/lrs/xapi/request.js';
import { createRetryPolicy, type RetryPolicy } from '../../delivery/retry-policy.js';
import type { DeliveryAuth } from '../../delivery/router-config.js';
import type { OutputFormat } from '../../transforms/transform-event.js';
import type { ReplayDestination, SendOutcome } from '../destination.js';
import { createEndpointSender } from './endpoint-sender.js';
import { redacted } from './redact-url.js';

export interface LrsDestinationOptions {
  format: OutputFormat;
  /** xAPI: the LRS base URL (statements go to `<url>/statements`). Caliper: the endpoint itself. */
  url: string;
  auth: DeliveryAuth;
  /** Extra request headers; auth and protocol headers win. */
  headers?: Readonly<Record<string, string>>;
  /** Caliper envelope `sensor`. */
  caliperSensor: string;
  /** Longest one request may take, ms. Default 30000. */
  timeoutMs?: number;
  /** How long one batch may keep failing (down, 5xx, 429, timeouts) before the replay stops, ms. Default 300000. */
  retryForMs?: number;
  /** Keep-alive connections to the LRS. Default 4. */
  connections?: number;
  /** Tests pass a fast policy. Default: 1 s doubling to 30 s, ±20 % jitter, within `retryForMs`. */
  retryPolicy?: RetryPolicy;
}

/**
 * Sends batches straight to one xAPI LRS (a JSON array per POST, xAPI 1.0.3 Communication §2.1.2)
 * or Caliper endpoint (one envelope per batch), with the delivery stage's transport, classify,
 * retry policy, dedupe and bisect: 5xx, 408, 429 and connection errors are retried with backoff;
 * a batch refused for one statement (400, or 409 for an id stored with another statement) is
 * split until that statement stands alone, and only it is reported (endpoint-sender.ts).
 */
export function createLrsDestination(options: LrsDestinationOptions): ReplayDestination {
  const transport = createHttpTransport({ timeoutMs: options.timeoutMs ?? 30_000, connections: options.connections ?? 4 });
  const retryForMs = options.retryForMs ?? 300_000;
  const shown = redacted(options.url);
  const send = createEndpointSender({
    router: {
      id: 'lrs',
      backend: options.format,
      url: options.url,
      auth: options.auth,
      ...(options.headers !== undefined ? { headers: options.headers } : {}),
      batching: { enabled: true, size: 0, intervalMs: 0 },
    },
    transport,
    policy: options.retryPolicy ?? createRetryPolicy({ initialDelayMs: 1000, maxDelayMs: 30_000, maxAgeMs: retryForMs }),
    caliperSensor: options.caliperSensor,
    name: shown,
  });
  const checkpointUrl = options.format === 'xapi' ? statementsUrl(options.url) : options.url;
  return {
    description: shown,
    checkpointKey: `${options.format}-lrs:${checkpointUrl}`,
    async send(batch, _meta, signal): Promise<SendOutcome> {
      const outcome = await send(batch, signal);
      return outcome.status === 'failed' ? outcome : { status: 'accepted', rejected: outcome.rejected };
    },
    close: () => transport.close(),
  };
}
