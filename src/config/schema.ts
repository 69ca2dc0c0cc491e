import * as z from 'zod';
import { accessFields } from './access-fields.js';
import { erbFields } from './erb-fields.js';
import { identityFields } from './identity-fields.js';
import { defaultTransformerVersion } from './package-version.js';
import { serviceFields } from './service-fields.js';
import { serviceRuntimeFields } from './service-runtime-fields.js';

/**
 * The one settings schema, composed of its field groups. A setting has the same name in the
 * settings file (YAML or JSON, a flat mapping) and in the environment; names are ERB's wherever
 * ERB has the setting, and `EVENT_ROUTER_*` otherwise. Precedence lives in `load.ts`:
 * CLI flags > env > file > defaults. Each field carries its documentation (setting-meta.ts).
 */
export const settingsFields = { ...erbFields, ...serviceFields, ...serviceRuntimeFields, ...accessFields, ...identityFields } as const;

export type SettingName = keyof typeof settingsFields;
export const SETTING_NAMES = Object.keys(settingsFields) as SettingName[];

/**
 * The whole schema. Checks across settings come after the fields (zod runs them once every
 * field is valid); the transform fills defaults that depend on other settings.
 */
export const settingsSchema = z
  .object(settingsFields)
  .superRefine((s, ctx) => {
    const issue = (path: SettingName, message: string): void => void ctx.addIssue({ code: 'custom', path: [path], message });
    const identity = s.EVENT_ROUTER_IDENTITY_SOURCES;
    const courses = s.EVENT_ROUTER_COURSE_NAME_SOURCES;
    if (s.EVENT_ROUTER_MISSING_ID_POLICY === 'mint' && !identity.includes('local-store')) {
      issue('EVENT_ROUTER_MISSING_ID_POLICY', 'mint needs local-store in EVENT_ROUTER_IDENTITY_SOURCES');
    }
    if (identity.includes('lms-database') && s.EVENT_ROUTER_LMS_DATABASE_URL === undefined) {
      issue('EVENT_ROUTER_IDENTITY_SOURCES', 'lms-database needs EVENT_ROUTER_LMS_DATABASE_URL');
    }
    if (s.EVENT_ROUTER_IDENTITY_LMS_WRITE && !identity.includes('lms-database')) {
      issue('EVENT_ROUTER_IDENTITY_LMS_WRITE', 'needs lms-database in EVENT_ROUTER_IDENTITY_SOURCES');
    }
    if (courses.includes('lms-database') && s.EVENT_ROUTER_LMS_DATABASE_URL === undefined) {
      issue('EVENT_ROUTER_COURSE_NAME_SOURCES', 'lms-database needs EVENT_ROUTER_LMS_DATABASE_URL');
    }
    if (courses.includes('lms-api') && (s.EVENT_ROUTER_LMS_API_CLIENT_ID === undefined || s.EVENT_ROUTER_LMS_API_CLIENT_SECRET === undefined)) {
      issue('EVENT_ROUTER_COURSE_NAME_SOURCES', 'lms-api needs EVENT_ROUTER_LMS_API_CLIENT_ID and EVENT_ROUTER_LMS_API_CLIENT_SECRET');
    }
    if (courses.includes('lms-api') && (s.EVENT_ROUTER_LMS_API_URL ?? s.LMS_ROOT_URL) === undefined) {
      issue('EVENT_ROUTER_COURSE_NAME_SOURCES', 'lms-api needs EVENT_ROUTER_LMS_API_URL or LMS_ROOT_URL');
    }
  })
  .transform((s) => ({
    ...s,
    EVENT_ROUTER_MISSING_ID_POLICY: s.EVENT_ROUTER_MISSING_ID_POLICY ?? (s.EVENT_ROUTER_IDENTITY_SOURCES.includes('local-store') ? 'mint' : 'drop'),
    EVENT_ROUTER_LMS_API_URL: s.EVENT_ROUTER_LMS_API_URL ?? s.LMS_ROOT_URL,
    EVENT_ROUTER_CALIPER_SENSOR: s.EVENT_ROUTER_CALIPER_SENSOR ?? s.LMS_ROOT_URL,
    EVENT_ROUTER_TRANSFORMER_VERSION: s.EVENT_ROUTER_TRANSFORMER_VERSION ?? defaultTransformerVersion(),
  }));

type DeepReadonly<T> = T extends (infer U)[] ? readonly DeepReadonly<U>[] : T extends object ? { readonly [K in keyof T]: DeepReadonly<T[K]> } : T;

/** The effective settings: parsed, defaults applied, deep-frozen. */
export type Settings = DeepReadonly<z.output<typeof settingsSchema>>;
