import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createSessionKeeper } from './session.js';

describe('session keeper', () => {
  let now = 1_000_000;
  const keeper = createSessionKeeper({ secret: 'the-admin-token-0123456789', ttlMs: 60_000, now: () => now });

  it('reads back the sessions it issues, with a CSRF token bound to the session', () => {
    const { session, cookie } = keeper.issue();
    assert.deepEqual(keeper.read(cookie), session);
    assert.ok(keeper.checkCsrf(session, session.csrfToken));
    assert.ok(!keeper.checkCsrf(session, keeper.issue().session.csrfToken));
    assert.ok(!keeper.checkCsrf(session, undefined));
  });

  it('refuses forged, tampered, foreign and expired cookies', () => {
    const { cookie } = keeper.issue();
    const [v, id, expiry, mac] = cookie.split('.');
    assert.equal(keeper.read(`${v}.${id}.${Number(expiry) + 1000}.${mac}`), undefined, 'extended expiry');
    assert.equal(keeper.read(`${v}.${id}.${expiry}.${'A'.repeat(43)}`), undefined, 'forged mac');
    assert.equal(keeper.read(undefined), undefined);
    assert.equal(keeper.read('garbage'), undefined);
    const other = createSessionKeeper({ secret: 'another-admin-token-0123456', ttlMs: 60_000, now: () => now });
    assert.equal(other.read(cookie), undefined, 'a new admin token signs everyone out');
    now += 60_000;
    assert.equal(keeper.read(cookie), undefined, 'expired');
  });

  it('forgets a revoked session', () => {
    const { session, cookie } = keeper.issue();
    keeper.revoke(session);
    assert.equal(keeper.read(cookie), undefined);
  });
});
