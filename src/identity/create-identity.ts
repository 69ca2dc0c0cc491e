import type { Lookups } from '../transforms/shared/lookups.js';
import { loadStaticLookups } from '../transforms/shared/static-lookups.js';
import { createIdentityResolver, type IdentityResolver } from './identity-resolver.js';
import { createLmsApiCourseProvider } from './lms-api/course-provider.js';
import { createLmsDatabaseCourseProvider } from './lms-database/course-provider.js';
import { createExternalIdWriter } from './lms-database/external-id-writer.js';
import { createLmsDatabase, type LmsDatabase } from './lms-database/lms-database.js';
import { createLmsDatabaseUserProvider } from './lms-database/user-provider.js';
import type { LocalIdentityStore } from './local-store-port.js';
import { createLocalStoreProvider } from './local-store-provider.js';
import { createLookupsCourseProvider, createLookupsUserProvider } from './lookups-provider.js';
import type { IdentityMetrics } from './metrics.js';
import type { CourseProvider, UserProvider } from './providers.js';
import type { IdentitySettings } from './settings.js';

/** A setting combination that cannot work; the message names the settings. */
export class IdentityConfigError extends Error {}

export interface IdentityDependencies {
  /** The local identity store (required when `local-store` is a source or the policy is `mint`). */
  readonly store?: LocalIdentityStore;
  /** The static lookups, when already loaded; else `settings.lookupsFile` is read. */
  readonly staticLookups?: Lookups;
  readonly metrics?: IdentityMetrics;
  readonly now?: () => number;
}

/**
 * Builds the identity resolver from settings: one provider per listed source, in order. The LMS
 * database pool is shared by the user and course providers and closed by `shutdown()`. The
 * store is not closed: its owner (the composition root) closes it.
 */
export function createIdentityFromSettings(settings: IdentitySettings, deps: IdentityDependencies = {}): IdentityResolver {
  const problems: string[] = [];
  let staticLookups = deps.staticLookups;
  const fileLookups = (): Lookups | undefined => {
    if (staticLookups === undefined && settings.lookupsFile !== undefined) staticLookups = loadStaticLookups(settings.lookupsFile);
    return staticLookups;
  };
  let database: LmsDatabase | undefined;
  const lmsDatabase = (): LmsDatabase | undefined => {
    if (database === undefined && settings.lmsDatabase !== undefined) database = createLmsDatabase(settings.lmsDatabase);
    return database;
  };

  const userProviders: UserProvider[] = [];
  for (const source of settings.userSources) {
    if (source === 'lookups-file') {
      // Listed by default; without a file it simply knows nobody.
      const lookups = fileLookups();
      if (lookups !== undefined) userProviders.push(createLookupsUserProvider(lookups));
    } else if (source === 'local-store') {
      if (deps.store === undefined) problems.push('identity source local-store needs the local identity store');
      else userProviders.push(createLocalStoreProvider(deps.store));
    } else {
      const db = lmsDatabase();
      if (db === undefined) problems.push('identity source lms-database needs EVENT_ROUTER_LMS_DATABASE_URL');
      else {
        const lms = settings.lmsDatabase;
        // ERB's get_or_create: the learner's missing ids are created in the LMS, for the kinds sent.
        const create =
          lms?.createIds === true && settings.kinds.length > 0
            ? {
                writer: createExternalIdWriter(lms),
                kinds: settings.kinds,
                onCreated: (type: string, count: number) => {
                  for (let i = 0; i < count; i++) deps.metrics?.minted(type);
                },
              }
            : undefined;
        userProviders.push(createLmsDatabaseUserProvider(db, { ltiFallback: lms?.ltiFallback ?? false, ...(create ? { create } : {}) }));
      }
    }
  }
  const courseProviders: CourseProvider[] = [];
  for (const source of settings.courseSources) {
    if (source === 'lookups-file') {
      const lookups = fileLookups();
      if (lookups !== undefined) courseProviders.push(createLookupsCourseProvider(lookups));
    } else if (source === 'lms-database') {
      const db = lmsDatabase();
      if (db === undefined) problems.push('course-name source lms-database needs EVENT_ROUTER_LMS_DATABASE_URL');
      else courseProviders.push(createLmsDatabaseCourseProvider(db));
    } else if (settings.lmsApi === undefined) {
      problems.push('course-name source lms-api needs EVENT_ROUTER_LMS_API_CLIENT_ID and EVENT_ROUTER_LMS_API_CLIENT_SECRET');
    } else {
      courseProviders.push(createLmsApiCourseProvider({ ...settings.lmsApi, ...(deps.now ? { now: deps.now } : {}) }));
    }
  }
  if (settings.missingIdPolicy === 'mint' && (deps.store === undefined || !settings.userSources.includes('local-store'))) {
    problems.push('EVENT_ROUTER_MISSING_ID_POLICY=mint needs local-store in EVENT_ROUTER_IDENTITY_SOURCES');
  }
  if (problems.length > 0) {
    void database?.close();
    throw new IdentityConfigError(problems.join('; '));
  }
  return createIdentityResolver({
    userProviders,
    courseProviders,
    kinds: settings.kinds,
    needEmail: settings.needEmail ?? false,
    missingIdPolicy: settings.missingIdPolicy,
    ...(deps.store !== undefined ? { store: deps.store } : {}),
    cache: settings.cache,
    ...(settings.retryAfterMs !== undefined ? { retryAfterMs: settings.retryAfterMs } : {}),
    ...(deps.metrics !== undefined ? { metrics: deps.metrics } : {}),
    ...(deps.now !== undefined ? { now: deps.now } : {}),
  });
}
