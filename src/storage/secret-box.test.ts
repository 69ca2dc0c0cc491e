import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { createSecretBox, parseKey, SecretBoxError } from './secret-box.js';

describe('secret box (AES-256-GCM)', () => {
  const box = createSecretBox(randomBytes(32));

  it('round-trips, with a fresh nonce each time and no plaintext in the output', () => {
    const a = box.seal('p@ssw0rd', 'routers.password.1');
    const b = box.seal('p@ssw0rd', 'routers.password.1');
    assert.notEqual(a, b);
    assert.ok(!a.includes('p@ssw0rd'));
    assert.equal(box.open(a, 'routers.password.1'), 'p@ssw0rd');
  });

  it('refuses another context, another key, or an altered value', () => {
    const sealed = box.seal('secret', 'routers.token.1');
    assert.throws(() => box.open(sealed, 'routers.token.2'), SecretBoxError);
    assert.throws(() => createSecretBox(randomBytes(32)).open(sealed, 'routers.token.1'), SecretBoxError);
    const parts = sealed.split('.');
    parts[3] = Buffer.from('tampered').toString('base64url');
    assert.throws(() => box.open(parts.join('.'), 'routers.token.1'), SecretBoxError);
  });

  it('reads keys as hex or base64, 32 bytes only', () => {
    const key = randomBytes(32);
    assert.deepEqual(parseKey(key.toString('hex')), key);
    assert.deepEqual(parseKey(key.toString('base64')), key);
    assert.deepEqual(parseKey(key.toString('base64url')), key);
    assert.throws(() => parseKey('abcd'), SecretBoxError);
  });
});
