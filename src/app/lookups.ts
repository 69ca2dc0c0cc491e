import type { Settings } from '../config/schema.js';
import type { IdentityStoreOptions } from '../storage/identity-store.js';
import type { IdentityKind, Lookups } from '../transforms/shared/lookups.js';
import { loadStaticLookups } from '../transforms/shared/static-lookups.js';

/** Ask each source in order; the first defined answer wins. */
export function chainLookups(sources: readonly Lookups[]): Lookups {
  const first = <T>(ask: (source: Lookups) => T | undefined): T | undefined => {
    for (const source of sources) {
      const answer = ask(source);
      if (answer !== undefined) return answer;
    }
    return undefined;
  };
  return {
    anonymousId: (user: string, kind: IdentityKind) => first((s) => s.anonymousId(user, kind)),
    email: (user: string) => first((s) => s.email(user)),
    courseName: (courseId: string) => first((s) => s.courseName(courseId)),
  };
}

/**
 * Not used by the service: `serve` resolves identities with src/identity/ (createIdentityFromSettings)
 * before transforming, so that nothing is minted before the LMS was asked. Kept for its tests.
 *
 * The embedded default's synchronous lookups: the static file and the local identity store,
 * in EVENT_ROUTER_IDENTITY_SOURCES order (`lms-database` belongs to src/identity/ and is not
 * part of this chain). Course names come from the file when EVENT_ROUTER_COURSE_NAME_SOURCES
 * lists it; with no answer the transformer falls back to the course id (unknown_course).
 */
export function buildLookups(settings: Settings, localStore: Lookups | undefined): Lookups {
  const file =
    settings.EVENT_ROUTER_LOOKUPS_FILE === undefined ? undefined : loadStaticLookups(settings.EVENT_ROUTER_LOOKUPS_FILE);
  const users: Lookups[] = [];
  for (const name of settings.EVENT_ROUTER_IDENTITY_SOURCES) {
    const source = name === 'lookups-file' ? file : name === 'local-store' ? localStore : undefined;
    if (source !== undefined) users.push(source);
  }
  const identity = chainLookups(users);
  const courseNames = settings.EVENT_ROUTER_COURSE_NAME_SOURCES.includes('lookups-file') ? file : undefined;
  return {
    anonymousId: identity.anonymousId,
    email: identity.email,
    courseName: (courseId) => courseNames?.courseName(courseId),
  };
}

/**
 * How the local store behaves under EVENT_ROUTER_MISSING_ID_POLICY: only `mint` creates ids.
 * `wait` needs the asynchronous resolver of src/identity/; in this synchronous chain it reads only.
 */
export function identityStoreOptions(settings: Settings): IdentityStoreOptions {
  return { mint: settings.EVENT_ROUTER_MISSING_ID_POLICY === 'mint' };
}
