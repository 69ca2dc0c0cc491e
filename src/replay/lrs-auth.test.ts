import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseLrsAuth } from './lrs-auth.js';

describe('parseLrsAuth', () => {
  it('reads basic (password may hold colons) and bearer', () => {
    assert.deepEqual(parseLrsAuth('basic:user:pa:ss'), { scheme: 'basic', username: 'user', password: 'pa:ss' });
    assert.deepEqual(parseLrsAuth('Bearer:tok'), { scheme: 'bearer', token: 'tok' });
  });
  it('refuses anything else', () => {
    for (const text of ['basic:user', 'bearer:', 'token', 'digest:a:b']) assert.equal(parseLrsAuth(text), undefined, text);
  });
});
