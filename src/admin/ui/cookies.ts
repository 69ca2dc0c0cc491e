import { parseCookie, stringifySetCookie } from 'cookie';

/**
 * The admin page's cookie policy over the `cookie` package (held at 1.x: 2.x needs Node 22),
 * which does the header grammar: quoting, percent-decoding, repeated names.
 */
export function readCookie(header: string | undefined, name: string): string | undefined {
  return header === undefined ? undefined : parseCookie(header)[name];
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
  return stringifySetCookie(name, value, {
    path: options.path,
    maxAge: options.maxAgeSeconds,
    httpOnly: true,
    sameSite: 'strict',
    secure: options.secure,
  });
}
