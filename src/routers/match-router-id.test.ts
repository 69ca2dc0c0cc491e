import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { matchRouterId } from './match-router-id.js';

describe('matchRouterId', () => {
  const routers = [{ id: 'e781aa' }, { id: 'e781bb' }, { id: 'f00' }, { id: 'f00d' }];

  it('takes an exact id, even when it is also the prefix of another', () => {
    assert.deepEqual(matchRouterId(routers, 'f00'), { ok: true, router: { id: 'f00' } });
  });

  it('takes a unique prefix', () => {
    assert.deepEqual(matchRouterId(routers, 'e781a'), { ok: true, router: { id: 'e781aa' } });
  });

  it('refuses an ambiguous prefix and an unknown id, saying which', () => {
    assert.deepEqual(matchRouterId(routers, 'e781'), { ok: false, message: '"e781" matches 2 routers; give more of the id' });
    assert.deepEqual(matchRouterId(routers, 'nonexistent'), { ok: false, message: 'no router with id nonexistent' });
  });
});
