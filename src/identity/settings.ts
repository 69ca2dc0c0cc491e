import type { IdentityKind } from '../transforms/shared/lookups.js';

/** Every anonymous-id kind, in ExternalIdType names (`xapi`, `caliper`). */
export const IDENTITY_KINDS = ['xapi', 'caliper'] as const satisfies readonly IdentityKind[];

/** Where users and anonymous ids come from (EVENT_ROUTER_IDENTITY_SOURCES), first answer wins. */
export const USER_SOURCES = ['lookups-file', 'local-store', 'lms-database'] as const;
export type UserSource = (typeof USER_SOURCES)[number];

/** Where course display names come from (EVENT_ROUTER_COURSE_NAME_SOURCES), first answer wins. */
export const COURSE_SOURCES = ['lookups-file', 'lms-database', 'lms-api'] as const;
export type CourseSource = (typeof COURSE_SOURCES)[number];

/**
 * What happens to an event whose user exists but has no anonymous id of the needed kind
 * (EVENT_ROUTER_MISSING_ID_POLICY):
 * - `drop`: the event is skipped as `unknown_user`;
 * - `mint`: a uuid4 is minted and kept in the local store (never written to the LMS);
 * - `wait`: the event stays queued and is retried until an id appears (e.g. ERB still runs).
 */
export const MISSING_ID_POLICIES = ['drop', 'mint', 'wait'] as const;
export type MissingIdPolicy = (typeof MISSING_ID_POLICIES)[number];

/** The lookup cache. */
export interface IdentityCacheOptions {
  /** How long a found user or course is served from memory, in ms. Default 600 000 (10 min). */
  readonly ttlMs: number;
  /** How long "not found" (or a user still without an id) is remembered, in ms. Default 60 000. */
  readonly negativeTtlMs: number;
  /** Most users + courses kept; the least recently used go first. Default 100 000. */
  readonly maxEntries: number;
}

/** edx-platform's MySQL database, read-only (SELECT only). */
export interface LmsDatabaseOptions {
  /** `mysql://user:password@host:3306/edxapp` (secret: holds the password). */
  readonly url: string;
  /** Connections in the pool. Default 4. */
  readonly poolSize?: number;
  /** Connect timeout in ms. Default 10 000. */
  readonly connectTimeoutMs?: number;
  /** Per-query timeout in ms. Default 10 000. */
  readonly queryTimeoutMs?: number;
  /** Read `lti` ids when the LMS has no `xapi`/`caliper` ExternalIdType (ERB ≥ 5.3.1 on old platforms). Default false. */
  readonly ltiFallback?: boolean;
  /** Create missing ids in the LMS's ExternalId table (EVENT_ROUTER_IDENTITY_LMS_WRITE). Default false. */
  readonly createIds?: boolean;
}

/** The LMS REST API for course names, with OAuth2 client credentials (JWT). */
export interface LmsApiOptions {
  /** LMS base URL without trailing slash. Default LMS_ROOT_URL. */
  readonly baseUrl: string;
  readonly clientId: string;
  /** Secret. */
  readonly clientSecret: string;
  /** Per-request timeout in ms. Default 10 000. */
  readonly timeoutMs?: number;
  /** Course requests in flight at once. Default 4. */
  readonly concurrency?: number;
}

/** Everything the identity component needs; built from the settings schema by the composition root. */
export interface IdentitySettings {
  readonly userSources: readonly UserSource[];
  readonly courseSources: readonly CourseSource[];
  readonly missingIdPolicy: MissingIdPolicy;
  /** Kinds to resolve: `xapi` when XAPI_EVENTS_ENABLED, `caliper` when CALIPER_EVENTS_ENABLED. */
  readonly kinds: readonly IdentityKind[];
  /** True when XAPI_AGENT_IFI_TYPE is mbox or mbox_sha1sum: emails are resolved too. Default false. */
  readonly needEmail?: boolean;
  readonly cache: IdentityCacheOptions;
  /** How long a retryable outcome asks the pipeline to wait before the next attempt, in ms. Default 30 000. */
  readonly retryAfterMs?: number;
  readonly lookupsFile?: string;
  readonly lmsDatabase?: LmsDatabaseOptions;
  readonly lmsApi?: LmsApiOptions;
}

export const DEFAULT_CACHE_OPTIONS: IdentityCacheOptions = { ttlMs: 600_000, negativeTtlMs: 60_000, maxEntries: 100_000 };
export const DEFAULT_RETRY_AFTER_MS = 30_000;

/** Which kinds (and whether emails) the enabled backends need; feeds `kinds` and `needEmail`. */
export function identityNeeds(backends: {
  readonly xapiEnabled: boolean;
  readonly caliperEnabled: boolean;
  readonly ifiType: 'external_id' | 'mbox' | 'mbox_sha1sum';
}): { kinds: IdentityKind[]; needEmail: boolean } {
  const kinds: IdentityKind[] = [];
  if (backends.xapiEnabled && backends.ifiType === 'external_id') kinds.push('xapi');
  if (backends.caliperEnabled) kinds.push('caliper');
  return { kinds, needEmail: backends.xapiEnabled && backends.ifiType !== 'external_id' };
}
