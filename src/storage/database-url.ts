/**
 * DATABASE_URL: unset keeps the embedded default (SQLite in the data directory). Only an optional
 * URL is narrowed: for a string already known, `false` must not make the type `never`.
 */
export function isPostgresUrl(url: string): boolean;
export function isPostgresUrl(url: string | undefined): url is string;
export function isPostgresUrl(url: string | undefined): boolean {
  return url !== undefined && /^postgres(ql)?:\/\//i.test(url);
}

/** The URL as it may be printed: the password, if any, replaced. */
export function redactDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = 'redacted';
    // A password may also travel as a query parameter (libpq style).
    if (parsed.searchParams.has('password')) parsed.searchParams.set('password', 'redacted');
    return parsed.toString();
  } catch {
    return 'postgres://[unparseable URL]';
  }
}
