/**
 * How an event names its user: the text `eventUser()` returns, which is `context.user_id`
 * (an int, sometimes a string) or a username. ERB's `get_user` tries `User.objects.get(id=int(x))`
 * first and falls back to the username, so a numeric text may be either; an id match wins.
 */
export interface UserKey {
  /** The text exactly as the transformers pass it to `Lookups`; the cache key. */
  readonly text: string;
  /** Set when the text reads as a Python int (`int(x)`: optional sign and spaces, digits). */
  readonly id?: number;
}

const PY_INT = /^\s*\+?(\d+)\s*$/;

export function parseUserKey(text: string): UserKey {
  const match = PY_INT.exec(text);
  if (match !== null) {
    const id = Number(match[1]);
    if (Number.isSafeInteger(id) && id > 0) return { text, id };
  }
  return { text };
}

/** The user a provider found, with whatever it knows about them. */
export interface UserRecord {
  /** auth_user.id, when known. */
  readonly userId?: number;
  /** auth_user.username, when known. */
  readonly username?: string;
}

/** True when `record` is the user `key` names (ERB: an id match first, then the username). */
export function recordMatches(key: UserKey, record: UserRecord): boolean {
  if (key.id !== undefined && record.userId === key.id) return true;
  return record.username !== undefined && record.username === key.text;
}
