import type { Settings } from './schema.js';
import { identityNeeds, type IdentitySettings } from '../identity/settings.js';

/** The identity component's settings (src/identity/), from the one settings schema. */
export function identitySettingsFrom(settings: Settings): IdentitySettings {
  // The xAPI anonymous id only for external_id actors; the email only for mbox actors.
  const { kinds, needEmail } = identityNeeds({
    xapiEnabled: settings.XAPI_EVENTS_ENABLED,
    caliperEnabled: settings.CALIPER_EVENTS_ENABLED,
    ifiType: settings.XAPI_AGENT_IFI_TYPE,
  });
  const seconds = (value: number): number => Math.round(value * 1000);
  const lmsApiUrl = settings.EVENT_ROUTER_LMS_API_URL;
  return {
    userSources: settings.EVENT_ROUTER_IDENTITY_SOURCES,
    courseSources: settings.EVENT_ROUTER_COURSE_NAME_SOURCES,
    missingIdPolicy: settings.EVENT_ROUTER_MISSING_ID_POLICY,
    kinds,
    needEmail,
    cache: {
      ttlMs: seconds(settings.EVENT_ROUTER_IDENTITY_CACHE_TTL),
      negativeTtlMs: seconds(settings.EVENT_ROUTER_IDENTITY_CACHE_NEGATIVE_TTL),
      maxEntries: settings.EVENT_ROUTER_IDENTITY_CACHE_MAX_ENTRIES,
    },
    retryAfterMs: seconds(settings.EVENT_ROUTER_IDENTITY_RETRY_AFTER),
    ...(settings.EVENT_ROUTER_LOOKUPS_FILE !== undefined ? { lookupsFile: settings.EVENT_ROUTER_LOOKUPS_FILE } : {}),
    ...(settings.EVENT_ROUTER_LMS_DATABASE_URL !== undefined
      ? {
          lmsDatabase: {
            url: settings.EVENT_ROUTER_LMS_DATABASE_URL,
            poolSize: settings.EVENT_ROUTER_LMS_DATABASE_POOL_SIZE,
            connectTimeoutMs: seconds(settings.EVENT_ROUTER_LMS_DATABASE_TIMEOUT),
            queryTimeoutMs: seconds(settings.EVENT_ROUTER_LMS_DATABASE_TIMEOUT),
            ltiFallback: settings.EVENT_ROUTER_LMS_DATABASE_LTI_FALLBACK,
            createIds: settings.EVENT_ROUTER_IDENTITY_LMS_WRITE,
          },
        }
      : {}),
    ...(settings.EVENT_ROUTER_LMS_API_CLIENT_ID !== undefined && settings.EVENT_ROUTER_LMS_API_CLIENT_SECRET !== undefined && lmsApiUrl !== undefined
      ? {
          lmsApi: {
            baseUrl: lmsApiUrl,
            clientId: settings.EVENT_ROUTER_LMS_API_CLIENT_ID,
            clientSecret: settings.EVENT_ROUTER_LMS_API_CLIENT_SECRET,
            timeoutMs: seconds(settings.EVENT_ROUTER_LMS_API_TIMEOUT),
            concurrency: settings.EVENT_ROUTER_LMS_API_CONCURRENCY,
          },
        }
      : {}),
  };
}
