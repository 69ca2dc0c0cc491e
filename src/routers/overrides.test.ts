import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { authorizationHeader, routerHeaders } from './overrides.js';

describe('router headers', () => {
  it('configured headers plus Bearer, which replaces a configured Authorization of any case', () => {
    const headers = routerHeaders({ test: 'header', authorization: 'Custom x' }, { scheme: 'bearer', token: 'tok' });
    assert.deepEqual(headers, { test: 'header', Authorization: 'Bearer tok' });
  });
  it('Basic is RFC 7617 base64 of user:password (UTF-8)', () => {
    assert.equal(authorizationHeader({ scheme: 'basic', username: 'key', password: 'sécret' }), `Basic ${Buffer.from('key:sécret').toString('base64')}`);
  });
  it('scheme none keeps a configured Authorization header', () => {
    assert.deepEqual(routerHeaders({ Authorization: 'Custom x' }, { scheme: 'none' }), { Authorization: 'Custom x' });
  });
});
