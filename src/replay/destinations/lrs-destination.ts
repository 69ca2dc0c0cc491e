import { sendWithBisect } from '../../delivery/bisect.js';
import { classify } from '../../delivery/classify.js';
import { buildHeaders } from '../../delivery/headers.js';
import { createHttpTransport } from '../../delivery/http-transport.js';
import { statementsUrl, XAPI_VERSION } from '../../delivery/lrs/xapi/request.js';
import type { DeliveryOutcome } from '../../delivery/outcome.js';
import { createRetryPolicy, type RetryPolicy } from '../../delivery/retry-policy.js';
import type { DeliveryAuth } from '../../delivery/router-config.js';
import type { TransportRequest } from '../../delivery/transport.js';
import { CALIPER_DATA_VERSION } from '../../transforms/caliper/envelope.js';
import type { OutputFormat } from '../../transforms/transform-event.js';
import type { RejectedRecord, ReplayDestination, ReplayRecord, SendOutcome } from '../destination.js';
import { sleep } from '../sleep.js';

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
 * retry policy and bisect: 5xx, 408, 429 and connection errors are retried with backoff; a 409
 * counts as stored (the id is deterministic); a batch refused for one statement (400) is split
 * until that statement stands alone, and only it is reported as rejected.
 */
export function createLrsDestination(options: LrsDestinationOptions): ReplayDestination {
  const transport = createHttpTransport({ timeoutMs: options.timeoutMs ?? 30_000, connections: options.connections ?? 4 });
  const retryForMs = options.retryForMs ?? 300_000;
  const policy = options.retryPolicy ?? createRetryPolicy({ initialDelayMs: 1000, maxDelayMs: 30_000, maxAgeMs: retryForMs });
  const xapi = options.format === 'xapi';
  const url = xapi ? statementsUrl(options.url) : options.url;
  const headers = buildHeaders(options.headers, options.auth, xapi
    ? { 'X-Experience-API-Version': XAPI_VERSION, 'Content-Type': 'application/json' }
    : { 'Content-Type': 'application/json' });
  const sensorJson = JSON.stringify(options.caliperSensor);

  // The records are JSON text already (encoded in the transform workers), so the body is joined,
  // not stringified again. Caliper keys in caliperEnvelope's order.
  function request(items: readonly ReplayRecord[]): TransportRequest {
    let data = '';
    for (const item of items) data += (data === '' ? '' : ',') + item.json;
    const body = xapi
      ? `[${data}]`
      : `{"sensor":${sensorJson},"sendTime":"${new Date().toISOString()}","dataVersion":${JSON.stringify(CALIPER_DATA_VERSION)},"data":[${data}]}`;
    return { url, headers, body };
  }

  async function attempt(items: readonly ReplayRecord[], signal: AbortSignal): Promise<DeliveryOutcome> {
    const started = Date.now();
    for (let failures = 1; ; failures++) {
      const outcome = classify(options.format, await transport.send(request(items), signal), Date.now());
      if (outcome.status !== 'retryable' || signal.aborted) return outcome;
      const decision = policy(failures, outcome, Date.now() - started);
      if ('giveUp' in decision) return outcome;
      await sleep(decision.retryInMs, signal);
      if (signal.aborted) return outcome;
    }
  }

  const shown = redacted(options.url);
  return {
    description: shown,
    checkpointKey: `${options.format}-lrs:${url}`,
    async send(batch, _meta, signal): Promise<SendOutcome> {
      const groups = await sendWithBisect(batch, (items) => attempt(items, signal));
      let alreadyStored = 0;
      const rejected: RejectedRecord[] = [];
      for (const group of groups) {
        const { outcome } = group;
        if (outcome.status === 'retryable' || (outcome.status === 'rejected' && outcome.unhealthy)) {
          return { status: 'failed', error: `${shown}: ${describe(outcome)}${signal.aborted ? ' (interrupted)' : ''}` };
        }
        if (outcome.status === 'rejected') {
          for (const record of group.items) rejected.push({ record, error: describe(outcome) });
        } else if (outcome.alreadyStored) {
          alreadyStored += group.items.length;
        }
      }
      return { status: 'accepted', alreadyStored, rejected };
    },
    close: () => transport.close(),
  };
}

function describe(outcome: Exclude<DeliveryOutcome, { status: 'delivered' }>): string {
  const body = outcome.response.body?.trim();
  return body ? `${outcome.error}: ${body.length > 300 ? `${body.slice(0, 300)}…` : body}` : outcome.error;
}

/** The URL without credentials, for the summary and messages. */
function redacted(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.username === '' && parsed.password === '') return url;
    parsed.username = '';
    parsed.password = '';
    return parsed.toString();
  } catch {
    return url;
  }
}
