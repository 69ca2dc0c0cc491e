/**
 * Identity and course-name lookups, injected into the transformers. The interface is
 * synchronous so transformers stay pure and fast; providers that need I/O (databases, the LMS
 * API) resolve into a cache before an event is transformed.
 */
export type IdentityKind = 'xapi' | 'caliper';

export interface Lookups {
  /** The learner's anonymous id (an ExternalId UUID) for this backend, or undefined if unknown. */
  anonymousId(user: string, kind: IdentityKind): string | undefined;
  /** The learner's email, or undefined if unknown. */
  email(user: string): string | undefined;
  /** The course's display name, or undefined if the course is unknown. */
  courseName(courseId: string): string | undefined;
}

/** A lookup that knows nobody: every user is unknown and every course falls back to its id. */
export const EMPTY_LOOKUPS: Lookups = {
  anonymousId: () => undefined,
  email: () => undefined,
  courseName: () => undefined,
};
