import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readCookie, serializeCookie } from './cookies.js';

describe('admin page cookies', () => {
  it('reads the named cookie among others, the first of repeated names, percent-decoded', () => {
    assert.equal(readCookie('theme=dark; edxr_admin_session=v1.abc; other=1', 'edxr_admin_session'), 'v1.abc');
    assert.equal(readCookie('s=first; s=second', 's'), 'first');
    assert.equal(readCookie('s=a%20b', 's'), 'a b');
    assert.equal(readCookie('theme=dark', 's'), undefined);
    assert.equal(readCookie(undefined, 's'), undefined);
  });

  it('always writes HttpOnly and SameSite=Strict, Secure only when asked', () => {
    const plain = serializeCookie('s', 'v1.abc', { path: '/admin', maxAgeSeconds: 3600, secure: false });
    assert.equal(plain, 's=v1.abc; Max-Age=3600; Path=/admin; HttpOnly; SameSite=Strict');
    assert.match(serializeCookie('s', '', { path: '/admin', maxAgeSeconds: 0, secure: true }), /^s=; Max-Age=0; .*; Secure; /);
  });
});
