import * as z from 'zod';
import { eventNames, httpUrl } from './field-types.js';
import { setting } from './setting-meta.js';

/** Settings ERB has, under ERB's names and with ERB's defaults (erb-reference.md §2). */
export const erbFields = {
  XAPI_EVENTS_ENABLED: setting(z.boolean().default(true), {
    kind: 'boolean',
    origin: 'erb',
    defaultText: 'true',
    description: 'Transform events to xAPI and deliver them to the xAPI routers.',
  }),
  XAPI_EVENT_LOGGING_ENABLED: setting(z.boolean().default(true), {
    kind: 'boolean',
    origin: 'erb',
    defaultText: 'true',
    description: 'Log every xAPI statement (before router overrides) to the `xapi_tracking` logger, as ERB does.',
  }),
  CALIPER_EVENTS_ENABLED: setting(z.boolean().default(false), {
    kind: 'boolean',
    origin: 'erb',
    defaultText: 'false',
    description: 'Transform events to Caliper and deliver them to the Caliper routers.',
  }),
  CALIPER_EVENT_LOGGING_ENABLED: setting(z.boolean().default(false), {
    kind: 'boolean',
    origin: 'erb',
    defaultText: 'false',
    description: 'Log every Caliper event (before the envelope) to the `caliper_tracking` logger.',
  }),
  LMS_ROOT_URL: setting(httpUrl.optional(), {
    kind: 'string',
    origin: 'erb',
    defaultText: 'none (required to transform events)',
    description: 'The LMS base URL: prefix of every IRI, the xAPI actor `account.homePage`, and the default Caliper sensor. A trailing slash is removed.',
  }),
  XAPI_AGENT_IFI_TYPE: setting(z.enum(['external_id', 'mbox', 'mbox_sha1sum']).default('external_id'), {
    kind: 'string',
    origin: 'erb',
    defaultText: 'external_id',
    description:
      'How the xAPI actor is identified: `external_id` (account with the anonymous id), `mbox` (mailto: email) or `mbox_sha1sum`. ERB treats unknown values as external_id; here they are refused.',
  }),
  EVENT_ROUTING_BACKEND_BATCHING_ENABLED: setting(z.boolean().default(true), {
    kind: 'boolean',
    origin: 'erb',
    defaultText: 'true (ERB: false)',
    description:
      'Send statements to each router in batches instead of one request per statement. On by default: the outbox is durable, so a batch costs no safety, and one statement per request is several times slower. `false` sends one statement per request, for an LRS that needs it.',
  }),
  EVENT_ROUTING_BACKEND_BATCH_SIZE: setting(z.int().min(1).max(10_000).default(100), {
    kind: 'integer',
    origin: 'erb',
    unit: 'statements',
    defaultText: '100',
    description: 'With batching on, a batch is sent as soon as it holds this many statements.',
  }),
  EVENT_ROUTING_BACKEND_BATCH_INTERVAL: setting(z.number().positive().max(86_400).default(1), {
    kind: 'number',
    origin: 'erb',
    unit: 'seconds',
    defaultText: '1 (ERB: 60)',
    description:
      'With batching on, a batch that is not full is sent this long after its first statement (a timer; ERB only checked when the next event arrived).',
  }),
  EVENT_ROUTING_BACKEND_MAX_RETRIES: setting(z.int().min(0).max(1_000_000).default(3), {
    kind: 'integer',
    origin: 'erb',
    unit: 'retries',
    defaultText: '3',
    description:
      "ERB gave up on a statement after this many retries. Here the number of retries is not limited (under random 503s a statement may fail several times in a row while the LRS works): a statement is retried for its time budget, EVENT_ROUTER_RETRY_MAX_AGE, which is never shorter than this × EVENT_ROUTING_BACKEND_COUNTDOWN (ERB's retry window). ERB also retried 4xx answers and never retried connection errors; here only retryable failures are.",
  }),
  EVENT_ROUTING_BACKEND_COUNTDOWN: setting(z.number().min(0).max(86_400).default(30), {
    kind: 'number',
    origin: 'erb',
    unit: 'seconds',
    defaultText: '30',
    description:
      'Longest wait between two retries of a statement. ERB waited this long before every retry; here the first retry comes after about 1 s and each further one waits twice as long (with jitter), up to this. A Retry-After answer takes precedence.',
  }),
  EVENT_TRACKING_BACKENDS_BUSINESS_CRITICAL_EVENTS: setting(
    eventNames.default(['edx.course.enrollment.activated', 'edx.course.enrollment.deactivated', 'edx.course.grade.passed.first_time']),
    {
      kind: 'list',
      origin: 'erb',
      defaultText: '`edx.course.enrollment.activated`, `edx.course.enrollment.deactivated`, `edx.course.grade.passed.first_time`',
      description: 'Event names whose failed deliveries must be kept rather than given up (ERB persisted these to FailedTask). Handed to delivery.',
    },
  ),
  EVENT_TRACKING_BACKENDS_ALLOWED_XAPI_EVENTS: setting(eventNames.optional(), {
    kind: 'list',
    origin: 'erb',
    defaultText: 'not set: every event with an xAPI transformer',
    description: "Allow-list of event names for xAPI (ERB's NameWhitelistProcessor of the xapi backend). Applied after EVENT_ROUTER_BACKEND_PROCESSORS.xapi.",
  }),
  EVENT_TRACKING_BACKENDS_ALLOWED_CALIPER_EVENTS: setting(eventNames.optional(), {
    kind: 'list',
    origin: 'erb',
    defaultText: 'not set: every event with a Caliper transformer',
    description: 'Allow-list of event names for Caliper. Applied after EVENT_ROUTER_BACKEND_PROCESSORS.caliper.',
  }),
} as const;
