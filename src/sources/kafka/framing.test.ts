import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { confluentFrame, parseConfluentFrame } from './framing.js';

describe('Confluent framing', () => {
  it('is magic 0, big-endian schema id, body', () => {
    const framed = confluentFrame(0x01020304, Buffer.from('ab'));
    assert.equal(framed.toString('hex'), '00010203046162');
    assert.deepEqual(parseConfluentFrame(framed), { ok: true, schemaId: 0x01020304, body: Buffer.from('ab') });
  });

  it('rejects a wrong magic byte and short messages', () => {
    assert.equal(parseConfluentFrame(Buffer.from('0100000001', 'hex')).ok, false);
    assert.equal(parseConfluentFrame(Buffer.from('00000001', 'hex')).ok, false);
  });
});
