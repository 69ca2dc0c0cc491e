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
