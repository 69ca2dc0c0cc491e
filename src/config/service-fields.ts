import * as z from 'zod';
import { backendProcessorsSchema } from './processors-schema.js';
import { setting } from './setting-meta.js';

/** Our settings: processors, HTTP server, storage, transformation, delivery, logging. */
export const serviceFields = {
  EVENT_ROUTER_BACKEND_PROCESSORS: setting(backendProcessorsSchema.default({ xapi: [], caliper: [] }), {
    kind: 'json',
    origin: 'ours',
    defaultText: 'none: every supported event',
    description:
      "Per-backend processors in ERB's seed form: `{xapi: [...], caliper: [...]}`, each a `NameWhitelistProcessor` (`whitelist`) or a `RegexFilter` (`filter_type` allowlist|blocklist, `regular_expressions`). Every processor must pass an event.",
  }),
  EVENT_ROUTER_DATA_DIR: setting(z.string().min(1).default('./data'), {
    kind: 'string',
    origin: 'ours',
    defaultText: '`./data` (relative to the working directory)',
    description: 'Directory holding the SQLite database, the encryption key file and the admin token file.',
  }),
  DATABASE_URL: setting(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
      .optional(),
    {
      kind: 'string',
      origin: 'ours',
      secret: true,
      defaultText: 'none: SQLite in the data directory',
      description:
        'PostgreSQL for routers, the outbox, dead letters and kept identities instead of SQLite, e.g. `postgres://user:password@host:5432/edx_router`. Several `serve` instances on one database share the delivery work. See docs/postgres.md.',
    },
  ),
  EVENT_ROUTER_HOST: setting(z.string().min(1).default('127.0.0.1'), {
    kind: 'string',
    origin: 'ours',
    defaultText: '127.0.0.1',
    description: 'Address the HTTP server (admin API) listens on. Use 0.0.0.0 to listen on every interface.',
  }),
  EVENT_ROUTER_PORT: setting(z.int().min(0).max(65_535).default(8080), {
    kind: 'integer',
    origin: 'ours',
    defaultText: '8080',
    description: 'TCP port of the HTTP server; 0 picks a free port.',
  }),
  EVENT_ROUTER_ADMIN_TOKEN: setting(z.string().min(16, 'must be at least 16 characters').optional(), {
    kind: 'string',
    origin: 'ours',
    secret: true,
    defaultText: 'generated on first start and kept in `<data dir>/admin-token` (mode 0600)',
    description: 'Bearer token required by the admin API (`Authorization: Bearer <token>`).',
  }),
  EVENT_ROUTER_SECRET_KEY: setting(
    z
      .string()
      .regex(/^([0-9a-fA-F]{64}|[A-Za-z0-9+/_-]{43}=?)$/, 'must be 32 bytes as 64 hex digits or base64')
      .optional(),
    {
      kind: 'string',
      origin: 'ours',
      secret: true,
      defaultText: 'generated on first run and kept in `<data dir>/secret.key` (mode 0600)',
      description: 'AES-256-GCM key that encrypts router passwords, tokens and configurations at rest: 32 bytes, as 64 hex digits or base64.',
    },
  ),
  EVENT_ROUTER_COMPAT: setting(z.enum(['valid', 'erb']).default('valid'), {
    kind: 'string',
    origin: 'ours',
    defaultText: 'valid',
    description: "`valid`: always valid xAPI 1.0.3 / Caliper 1.2, fixing ERB's invalid forms. `erb`: ERB's output exactly, for side-by-side comparison.",
  }),
  EVENT_ROUTER_TRANSFORMER_VERSION: setting(z.string().min(1).optional(), {
    kind: 'string',
    origin: 'ours',
    defaultText: '`edx-event-router@<package version>`',
    description: 'Written to the transformer-version extension of every statement. ERB writes `event-routing-backends@<version>`.',
  }),
  EVENT_ROUTER_PLUGINS: setting(z.array(z.string().min(1)).default([]), {
    kind: 'list',
    origin: 'ours',
    defaultText: 'none',
    description:
      'Transformer plugins to load at start: ES module file paths (relative to the working directory) or installed package names. A plugin that claims a built-in event name without listing it in `replaces` refuses start. See docs/plugins.md.',
  }),
  EVENT_ROUTER_CALIPER_SENSOR: setting(z.string().min(1).optional(), {
    kind: 'string',
    origin: 'ours',
    defaultText: 'LMS_ROOT_URL',
    description: 'The `sensor` of every Caliper envelope (ERB passes LMS_ROOT_URL).',
  }),
  EVENT_ROUTER_HTTP_TIMEOUT: setting(z.number().positive().max(3600).default(30), {
    kind: 'number',
    origin: 'ours',
    unit: 'seconds',
    defaultText: '30',
    description: 'Timeout of one delivery request to an LRS (ERB had none).',
  }),
  EVENT_ROUTER_RETRY_MAX_AGE: setting(
    z
      .number()
      .positive()
      .max(365 * 86_400)
      .default(86_400),
    {
      kind: 'number',
      origin: 'ours',
      unit: 'seconds',
      defaultText: '86400 (24 h)',
      description:
        "Retry budget of a statement: how long a non-critical statement may keep failing, from its first failure, before it is dead-lettered (`retries_exhausted`); ERB's retry window (EVENT_ROUTING_BACKEND_MAX_RETRIES × EVENT_ROUTING_BACKEND_COUNTDOWN) when that is longer. Business-critical events have no limit; rate-limit waits (429) and time spent held while the LRS is down do not count. See docs/delivery.md.",
    },
  ),
  EVENT_ROUTER_LOG_LEVEL: setting(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'), {
    kind: 'string',
    origin: 'ours',
    defaultText: 'info',
    description: 'Minimum level of the service log (pino, JSON lines on stdout).',
  }),
  EVENT_ROUTER_FILE_ROUTES_DIR: setting(z.string().min(1).optional(), {
    kind: 'string',
    origin: 'ours',
    defaultText: 'none: `file://` routers are refused',
    description:
      'Directory that `file://` routers may write in (files in it or below it). A route outside it is refused when the router is saved, and delivery writes nowhere else: no symbolic link is followed, files are created mode 0600. See docs/security.md.',
  }),
  EVENT_ROUTER_DISK_MIN_FREE_BYTES: setting(
    z
      .int()
      .min(0)
      .max(1024 ** 4)
      .default(64 * 1024 * 1024),
    {
      kind: 'integer',
      origin: 'ours',
      unit: 'bytes',
      defaultText: '67108864 (64 MiB)',
      description:
        "Free space the data directory's file system must keep. Below it (or after a write failed for lack of space, until twice this and at least 2 MiB are free) ingest answers 507 with Retry-After, /readyz is not ready (`disk`), and everything resumes by itself once there is room. 0 reacts only to failed writes.",
    },
  ),
  EVENT_ROUTER_ALLOW_LINK_LOCAL_DESTINATIONS: setting(z.boolean().default(false), {
    kind: 'boolean',
    origin: 'ours',
    defaultText: 'false',
    description:
      'Allow router URLs on link-local addresses (169.254.0.0/16, fe80::/10) and cloud metadata endpoints (such as 169.254.169.254 or metadata.google.internal), refused by default, both when a router is saved and when delivery connects. Private and loopback addresses are always allowed. See docs/security.md.',
  }),
} as const;
