import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Stateless sessions: the cookie carries `v1.<id>.<expiry>.<mac>`, signed with HMAC-SHA256
 * under a key derived from the admin token. Sessions therefore survive a restart, and
 * changing the admin token signs everyone out. Sign-out revokes the id in memory until it
 * would have expired anyway (a restart forgets revocations, never extends a session).
 */
export interface Session {
  readonly id: string;
  /** Epoch ms. */
  readonly expiresAt: number;
  /** Sent back with every change (form field `_csrf` or header `x-csrf-token`). */
  readonly csrfToken: string;
}

export interface SessionKeeper {
  /** A new session and its cookie value. */
  issue(): { session: Session; cookie: string };
  /** The session of a cookie value, or undefined when missing, forged, expired or revoked. */
  read(cookie: string | undefined): Session | undefined;
  /** Constant-time comparison of a submitted CSRF token with the session's. */
  checkCsrf(session: Session, submitted: string | undefined): boolean;
  revoke(session: Session): void;
}

export interface SessionKeeperOptions {
  /** The admin token: the key is derived from it, never used directly. */
  readonly secret: string;
  /** Session lifetime, ms (absolute, not sliding). */
  readonly ttlMs: number;
  readonly now: () => number;
}

/** Revocations kept at most; beyond it the oldest are dropped (they expire soon anyway). */
const MAX_REVOKED = 10_000;

export function createSessionKeeper(options: SessionKeeperOptions): SessionKeeper {
  const key = Buffer.from(hkdfSync('sha256', options.secret, 'edx-event-router', 'admin-ui session v1', 32));
  const revoked = new Map<string, number>();
  const mac = (text: string): string => createHmac('sha256', key).update(text).digest('base64url');
  const csrfFor = (id: string): string => mac(`csrf.${id}`);

  function prune(): void {
    const now = options.now();
    for (const [id, expiresAt] of revoked) if (expiresAt <= now) revoked.delete(id);
    while (revoked.size > MAX_REVOKED) revoked.delete(revoked.keys().next().value as string);
  }

  return {
    issue() {
      const id = randomBytes(18).toString('base64url');
      const expiresAt = options.now() + options.ttlMs;
      const body = `v1.${id}.${expiresAt}`;
      return { session: { id, expiresAt, csrfToken: csrfFor(id) }, cookie: `${body}.${mac(body)}` };
    },

    read(cookie) {
      const match = /^v1\.([A-Za-z0-9_-]{24})\.(\d{1,16})\.([A-Za-z0-9_-]{43})$/.exec(cookie ?? '');
      if (match === null) return undefined;
      const [, id = '', expiry = '', signature = ''] = match;
      if (!sameText(signature, mac(`v1.${id}.${expiry}`))) return undefined;
      const expiresAt = Number(expiry);
      if (expiresAt <= options.now() || revoked.has(id)) return undefined;
      return { id, expiresAt, csrfToken: csrfFor(id) };
    },

    checkCsrf: (session, submitted) => submitted !== undefined && sameText(submitted, session.csrfToken),

    revoke(session) {
      revoked.set(session.id, session.expiresAt);
      prune();
    },
  };
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
