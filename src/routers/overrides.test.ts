import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyCaliperOverrides, applyXapiOverrides, authorizationHeader, routerHeaders } from './overrides.js';

describe('override_args (ERB dict.update at the root)', () => {
  it('xAPI: merged at the statement root, shallow, replacing in place and appending', () => {
    const statement = { id: '1', actor: { name: 'a' }, verb: { id: 'v' } };
    const out = applyXapiOverrides(statement, { actor: { mbox: 'mailto:x@y' }, authority: { name: 'lrs' } });
    assert.deepEqual(Object.keys(out), ['id', 'actor', 'verb', 'authority']);
    assert.deepEqual(out.actor, { mbox: 'mailto:x@y' });
    assert.deepEqual(statement.actor, { name: 'a' }, 'the input is not changed');
  });

  it('Caliper: into the envelope, next to data (sensor_id adds a key, sensor is unchanged)', () => {
    const envelope = { sensor: 'http://lms', sendTime: 't', data: [{ id: 'e' }], dataVersion: 'v1p2' };
    const out = applyCaliperOverrides(envelope, { sensor_id: 'sensor@example.com' });
    assert.deepEqual(out, { ...envelope, sensor_id: 'sensor@example.com' });
    assert.deepEqual(applyCaliperOverrides(envelope, { sensor: 'other' }).sensor, 'other');
  });

  it('no override_args: the same object', () => {
    const statement = { id: '1' };
    assert.equal(applyXapiOverrides(statement, undefined), statement);
  });
});

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
