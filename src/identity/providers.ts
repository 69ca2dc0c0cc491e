import type { IdentityKind } from '../transforms/shared/lookups.js';
import type { UserKey, UserRecord } from './user-key.js';

/** Everything a provider knows about one user. */
export interface UserIdentity extends UserRecord {
  readonly email?: string;
  /** Anonymous ids by kind, formatted 8-4-4-4-12. */
  readonly anonymousIds: Readonly<Partial<Record<IdentityKind, string>>>;
}

/** A course as a provider knows it; `displayName` is null when the LMS has none (a nullable column). */
export interface CourseInfo {
  readonly displayName: string | null;
}

/**
 * A provider's answer for a batch of keys: what it found (keyed by the requested text; an absent
 * key is unknown to this provider), or that it could not be asked right now. Providers never throw.
 */
export type ProviderAnswer<T> = { readonly ok: true; readonly found: ReadonlyMap<string, T> } | { readonly ok: false; readonly reason: string };

/** One source of users and their anonymous ids (static file, local store, LMS database). */
export interface UserProvider {
  /** Names the provider in metrics labels and retry reasons, e.g. `lms-database`. */
  readonly name: string;
  /**
   * True when this provider is the user directory: a user it does not know does not exist, and is
   * dropped (ERB) rather than minted. Only the LMS database is.
   */
  readonly authoritative: boolean;
  findUsers(keys: readonly UserKey[]): Promise<ProviderAnswer<UserIdentity>>;
  close?(): Promise<void>;
}

/** One source of course display names (static file, LMS database, LMS REST API). */
export interface CourseProvider {
  readonly name: string;
  /** Course keys are case-sensitive: a provider must not answer for a key that differs in case. */
  findCourses(courseIds: readonly string[]): Promise<ProviderAnswer<CourseInfo>>;
  close?(): Promise<void>;
}

/** Builds a `found` answer. */
export function found<T>(entries: Iterable<readonly [string, T]>): ProviderAnswer<T> {
  return { ok: true, found: new Map(entries) };
}

/** Builds an `unreachable` answer. */
export function unreachable<T>(provider: string, error: unknown): ProviderAnswer<T> {
  return { ok: false, reason: `${provider} unreachable: ${describeError(error)}` };
}

/** A one-line description; AggregateError (several addresses refused) has an empty message. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.message !== '') return error.message;
  const inner: unknown = error instanceof AggregateError ? error.errors[0] : undefined;
  const code = (error as { code?: unknown }).code;
  return inner instanceof Error ? inner.message : typeof code === 'string' ? code : error.name;
}
