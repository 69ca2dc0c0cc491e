import { IDENTITY_KINDS } from './settings.js';
import type { Lookups } from '../transforms/shared/lookups.js';
import { found, type CourseProvider, type UserIdentity, type UserProvider } from './providers.js';

/**
 * Any synchronous `Lookups` (the static lookups file, `--lookups FILE`) as a user provider and a
 * course provider. It knows a user when it has an anonymous id or an email for the key text.
 */
export function createLookupsUserProvider(lookups: Lookups, name = 'lookups-file'): UserProvider {
  return {
    name,
    authoritative: false,
    async findUsers(keys) {
      const entries: Array<[string, UserIdentity]> = [];
      for (const key of keys) {
        const anonymousIds: Partial<Record<(typeof IDENTITY_KINDS)[number], string>> = {};
        for (const kind of IDENTITY_KINDS) {
          const id = lookups.anonymousId(key.text, kind);
          if (id !== undefined) anonymousIds[kind] = id;
        }
        const email = lookups.email(key.text);
        if (email === undefined && Object.keys(anonymousIds).length === 0) continue;
        entries.push([key.text, { anonymousIds, ...(email !== undefined ? { email } : {}) }]);
      }
      return found(entries);
    },
  };
}

export function createLookupsCourseProvider(lookups: Lookups, name = 'lookups-file'): CourseProvider {
  return {
    name,
    async findCourses(courseIds) {
      const entries: Array<[string, { displayName: string }]> = [];
      for (const courseId of courseIds) {
        const displayName = lookups.courseName(courseId);
        if (displayName !== undefined) entries.push([courseId, { displayName }]);
      }
      return found(entries);
    },
  };
}
