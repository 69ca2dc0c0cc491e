import * as z from 'zod';
import { COURSE_SOURCES, MISSING_ID_POLICIES, USER_SOURCES } from '../identity/settings.js';
import { distinct, httpUrl } from './field-types.js';
import { setting } from './setting-meta.js';

/** Identity settings: the lookups file, the local store and the LMS sources (docs/identity.md). */
export const identityFields = {
  EVENT_ROUTER_LOOKUPS_FILE: setting(z.string().min(1).optional(), {
    kind: 'string',
    origin: 'ours',
    defaultText: 'none',
    description: 'Static lookups file (JSON): anonymous ids and emails per user, display names per course. See docs/configuration.md.',
  }),
  EVENT_ROUTER_IDENTITY_SOURCES: setting(
    z.array(z.enum(USER_SOURCES)).min(1).refine(distinct, 'must not repeat a source').default(['lookups-file', 'local-store']),
    {
      kind: 'list',
      origin: 'ours',
      defaultText: '`lookups-file, local-store`',
      description:
        'Where anonymous ids (and emails) come from, first answer wins: `lookups-file` (EVENT_ROUTER_LOOKUPS_FILE), `local-store` (ids kept in the database, minted per EVENT_ROUTER_MISSING_ID_POLICY, like the LMS ExternalId) and `lms-database` (the LMS ExternalId table).',
    },
  ),
  EVENT_ROUTER_COURSE_NAME_SOURCES: setting(z.array(z.enum(COURSE_SOURCES)).refine(distinct, 'must not repeat a source').default(['lookups-file']), {
    kind: 'list',
    origin: 'ours',
    defaultText: '`lookups-file`',
    description:
      'Where course display names come from, first answer wins: `lookups-file`, `lms-database`, `lms-api`. Without an answer the course id is used (counted as unknown_course).',
  }),
  EVENT_ROUTER_MISSING_ID_POLICY: setting(z.enum(MISSING_ID_POLICIES).optional(), {
    kind: 'string',
    origin: 'ours',
    defaultText: '`mint` when local-store is an identity source, else `drop`',
    description:
      'A user without an anonymous id: `mint` a random UUID once and keep it in the local store (needs local-store); `drop` the event as unknown_user (ERB); `wait` and retry until an id appears.',
  }),
  EVENT_ROUTER_IDENTITY_CACHE_TTL: setting(z.number().positive().default(600), {
    kind: 'number',
    origin: 'ours',
    unit: 'seconds',
    defaultText: '600',
    description: 'How long a found user or course is served from the identity cache.',
  }),
  EVENT_ROUTER_IDENTITY_CACHE_NEGATIVE_TTL: setting(z.number().positive().default(60), {
    kind: 'number',
    origin: 'ours',
    unit: 'seconds',
    defaultText: '60',
    description: 'How long "no such user/course" (or a user still without an id) is remembered.',
  }),
  EVENT_ROUTER_IDENTITY_CACHE_MAX_ENTRIES: setting(z.int().min(1).default(100_000), {
    kind: 'integer',
    origin: 'ours',
    unit: 'entries',
    defaultText: '100000',
    description: 'Entries per identity cache (users, courses); the least recently used go first.',
  }),
  EVENT_ROUTER_IDENTITY_RETRY_AFTER: setting(z.number().positive().default(30), {
    kind: 'number',
    origin: 'ours',
    unit: 'seconds',
    defaultText: '30',
    description: 'How long an event waits before its identity is looked up again after a retryable failure (policy `wait`, LMS unreachable).',
  }),
  EVENT_ROUTER_LMS_DATABASE_URL: setting(
    z
      .string()
      .regex(/^mysql:\/\//, 'must be a mysql:// URL')
      .optional(),
    {
      kind: 'string',
      origin: 'ours',
      secret: true,
      defaultText: 'none',
      description: "edx-platform's MySQL database, read-only: `mysql://user:password@host:3306/edxapp`. Needed by the `lms-database` sources.",
    },
  ),
  EVENT_ROUTER_LMS_DATABASE_POOL_SIZE: setting(z.int().min(1).max(100).default(4), {
    kind: 'integer',
    origin: 'ours',
    unit: 'connections',
    defaultText: '4',
    description: 'Connections to the LMS database.',
  }),
  EVENT_ROUTER_LMS_DATABASE_TIMEOUT: setting(z.number().positive().default(10), {
    kind: 'number',
    origin: 'ours',
    unit: 'seconds',
    defaultText: '10',
    description: 'Connect and query timeout of the LMS database.',
  }),
  EVENT_ROUTER_LMS_DATABASE_LTI_FALLBACK: setting(z.boolean().default(false), {
    kind: 'boolean',
    origin: 'ours',
    defaultText: 'false',
    description: 'Read `lti` external ids when the LMS has no `xapi`/`caliper` ExternalIdType (ERB ≥ 5.3.1 on old platforms).',
  }),
  EVENT_ROUTER_IDENTITY_LMS_WRITE: setting(z.boolean().default(false), {
    kind: 'boolean',
    origin: 'ours',
    defaultText: 'false',
    description:
      "Create a learner's missing `xapi`/`caliper` external id in the LMS table `external_user_ids_externalid`, as ERB does (get_or_create, uuid4), so that the ids sent are the LMS's and Aspects joins them. Needs `lms-database` in EVENT_ROUTER_IDENTITY_SOURCES and an account with INSERT on that table; safe with several instances (the table's unique key decides).",
  }),
  EVENT_ROUTER_LMS_API_URL: setting(httpUrl.optional(), {
    kind: 'string',
    origin: 'ours',
    defaultText: 'LMS_ROOT_URL',
    description: 'LMS base URL for the OAuth2 token and course endpoints (the `lms-api` course-name source).',
  }),
  EVENT_ROUTER_LMS_API_CLIENT_ID: setting(z.string().min(1).optional(), {
    kind: 'string',
    origin: 'ours',
    defaultText: 'none',
    description: 'OAuth2 client id (an Open edX application, client-credentials grant) for the `lms-api` source.',
  }),
  EVENT_ROUTER_LMS_API_CLIENT_SECRET: setting(z.string().min(1).optional(), {
    kind: 'string',
    origin: 'ours',
    secret: true,
    defaultText: 'none',
    description: 'The OAuth2 client secret for the `lms-api` source.',
  }),
  EVENT_ROUTER_LMS_API_TIMEOUT: setting(z.number().positive().default(10), {
    kind: 'number',
    origin: 'ours',
    unit: 'seconds',
    defaultText: '10',
    description: 'Timeout of one LMS API request.',
  }),
  EVENT_ROUTER_LMS_API_CONCURRENCY: setting(z.int().min(1).max(64).default(4), {
    kind: 'integer',
    origin: 'ours',
    unit: 'requests',
    defaultText: '4',
    description: 'LMS API course requests in flight at once.',
  }),
} as const;
