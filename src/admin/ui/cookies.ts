/** Reading the Cookie header and writing Set-Cookie, for the two cookies of the admin page. */

export function readCookie(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export interface CookieOptions {
  /** Seconds; 0 deletes the cookie. */
  readonly maxAgeSeconds: number;
  readonly path: string;
  /** Only over HTTPS (browsers drop Secure cookies set over plain HTTP, except on localhost). */
  readonly secure: boolean;
}

/**
 * Always HttpOnly (no script reads it) and SameSite=Strict (no other site's page sends it, the
 * first line of defence against CSRF; the per-session token is the second).
 */
export function serializeCookie(name: string, value: string, options: CookieOptions): string {
  const parts = [`${name}=${value}`, `Path=${options.path}`, `Max-Age=${options.maxAgeSeconds}`, 'HttpOnly', 'SameSite=Strict'];
  if (options.secure) parts.push('Secure');
  return parts.join('; ');
}
