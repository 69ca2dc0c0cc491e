import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { headerFieldError, headerValueError } from './header-fields.js';

describe('router header fields', () => {
  it('accepts token names and printable ASCII values', () => {
    assert.equal(headerFieldError('X-Api-Key', 'abc DEF/+=:;,"'), undefined);
    assert.equal(headerFieldError('x-experience-api-version', '1.0.3'), undefined);
    assert.equal(headerFieldError('X-Empty', ''), undefined);
    assert.equal(headerValueError('a\tb'), undefined);
  });

  it('refuses framing and connection headers in any case', () => {
    for (const name of ['Host', 'content-length', 'TRANSFER-ENCODING', 'Connection', 'Keep-Alive', 'Upgrade', 'TE', 'Trailer', 'Expect', 'Proxy-Connection']) {
      assert.match(headerFieldError(name, 'x') ?? '', /cannot be set/, name);
    }
  });

  it('refuses bad names, control characters, non-ASCII and surrounding spaces, saying where', () => {
    assert.match(headerFieldError('X Y', 'a') ?? '', /not a valid HTTP header name/);
    assert.match(headerFieldError('X:Y', 'a') ?? '', /not a valid HTTP header name/);
    assert.match(headerValueError('a\r\nb') ?? '', /U\+000D at position 2/);
    assert.match(headerValueError('a\u0000') ?? '', /U\+0000/);
    assert.match(headerValueError('a\u007f') ?? '', /U\+007F/);
    assert.match(headerValueError('naïve') ?? '', /U\+00EF at position 3/);
    assert.match(headerValueError(' a') ?? '', /start or end with a space/);
    assert.match(headerValueError('a\t') ?? '', /start or end with a space/);
  });
});
