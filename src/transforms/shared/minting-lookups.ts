import { mintExternalId } from './external-id.js';
import type { IdentityKind, Lookups } from './lookups.js';

/**
 * `transform --mint-ids`: what `serve` does by default (EVENT_ROUTER_MISSING_ID_POLICY=mint) for
 * a learner no source knows: a new random id, the same one for that learner and backend for the
 * rest of the run. A run keeps no store, so the ids differ from run to run and from the service's.
 */
export function mintingLookups(base: Lookups): Lookups {
  const minted = new Map<string, string>();
  return {
    anonymousId(user: string, kind: IdentityKind): string {
      const known = base.anonymousId(user, kind);
      if (known !== undefined) return known;
      const key = `${kind}\u0000${user}`;
      let id = minted.get(key);
      if (id === undefined) {
        id = mintExternalId();
        minted.set(key, id);
      }
      return id;
    },
    email: (user) => base.email(user),
    courseName: (courseId) => base.courseName(courseId),
  };
}
