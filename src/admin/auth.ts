import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * `Authorization: Bearer <admin token>`, compared in constant time (hashing first makes the
 * lengths equal, so the comparison leaks nothing about the token).
 */
export function createTokenCheck(adminToken: string): (authorization: string | undefined) => boolean {
  const expected = digest(adminToken);
  return (authorization) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    return match?.[1] !== undefined && timingSafeEqual(digest(match[1]), expected);
  };
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
