import { createHash, timingSafeEqual } from 'node:crypto';

/** The one account of the admin page: user "admin", and the admin token as its password. */
export const ADMIN_USER = 'admin';

/** Compares in constant time; hashing first makes the lengths equal. */
export function createCredentialCheck(adminToken: string): (username: string, password: string) => boolean {
  const expected = digest(`${ADMIN_USER}\0${adminToken}`);
  return (username, password) => timingSafeEqual(digest(`${username.trim()}\0${password}`), expected);
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

export interface SignInThrottle {
  /** Ms to wait before the next try from this address, or 0. */
  blockedForMs(address: string): number;
  failed(address: string): void;
  succeeded(address: string): void;
}

/**
 * Slows password guessing: after `maxFailures` failed sign-ins from one address within
 * `windowMs`, that address waits until the window ends. Bounded so a flood of addresses cannot
 * grow it without limit.
 */
export function createSignInThrottle(options: { maxFailures: number; windowMs: number; now: () => number }): SignInThrottle {
  const failures = new Map<string, { count: number; since: number }>();
  const MAX_ADDRESSES = 10_000;
  const current = (address: string): { count: number; since: number } | undefined => {
    const entry = failures.get(address);
    if (entry !== undefined && options.now() - entry.since >= options.windowMs) {
      failures.delete(address);
      return undefined;
    }
    return entry;
  };
  return {
    blockedForMs(address) {
      const entry = current(address);
      if (entry === undefined || entry.count < options.maxFailures) return 0;
      return entry.since + options.windowMs - options.now();
    },
    failed(address) {
      const entry = current(address);
      if (entry !== undefined) entry.count += 1;
      else failures.set(address, { count: 1, since: options.now() });
      if (failures.size > MAX_ADDRESSES) failures.delete(failures.keys().next().value as string);
    },
    succeeded(address) {
      failures.delete(address);
    },
  };
}
