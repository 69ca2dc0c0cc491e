import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pythonJsonDumps } from './python-json.js';
import { createHash } from 'node:crypto';
import { Utf8Writer } from './utf8-writer.js';
import { NAMESPACE_DNS, uuid5, uuid5Bytes, uuidBytes } from './uuid5.js';

// ERB's statement id recipe (erb-reference §7.3) with its published test vectors.
function erbId(verb: object, actor: object, timestamp: string, childId?: string): string {
  const verbJson = pythonJsonDumps(verb);
  const ns = uuid5(NAMESPACE_DNS, childId === undefined ? verbJson : `${verbJson}-${childId}`);
  return uuid5(ns, `${pythonJsonDumps(actor)}-${timestamp}`);
}

const actor = {
  objectType: 'Agent',
  account: { name: '32e08e30-f8ae-4ce2-94a8-c2bfe38a70cb', homePage: 'http://localhost:18000' },
};

describe('uuid5', () => {
  it('matches the RFC 4122 example for python.org in the DNS namespace', () => {
    assert.equal(uuid5(NAMESPACE_DNS, 'python.org'), '886313e1-3b8a-5372-9b90-0c9aee199e5d');
  });

  it('sets version and variant bits as RFC 4122 does, whatever the digest', () => {
    // Straight from the RFC: SHA-1 of namespace bytes + name, bytes 6 and 8 masked, first 16 bytes.
    const reference = (namespace: string, name: string): string => {
      const digest = createHash('sha1').update(uuidBytes(namespace)).update(name, 'utf8').digest();
      digest[6] = ((digest[6] as number) & 0x0f) | 0x50;
      digest[8] = ((digest[8] as number) & 0x3f) | 0x80;
      const hex = digest.subarray(0, 16).toString('hex');
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
    };
    const seenVariantInputs = new Set<string>();
    const writer = new Utf8Writer();
    for (let i = 0; i < 400; i++) {
      const name = `name ${i} é ${'x'.repeat(i % 70)}`;
      const expected = reference(NAMESPACE_DNS, name);
      assert.equal(uuid5(NAMESPACE_DNS, name), expected);
      assert.equal(uuid5Bytes(uuidBytes(NAMESPACE_DNS), name, writer).toString('hex'), expected.replace(/-/g, ''));
      seenVariantInputs.add(createHash('sha1').update(uuidBytes(NAMESPACE_DNS)).update(name, 'utf8').digest('hex')[16] as string);
    }
    assert.equal(seenVariantInputs.size, 16, 'every high nibble of byte 8 was exercised');
  });

  it('rejects a malformed namespace', () => {
    assert.throws(() => uuid5('not-a-uuid', 'x'), TypeError);
  });

  it('reproduces ERB enrollment id vector', () => {
    const verb = { id: 'http://adlnet.gov/expapi/verbs/registered', display: { en: 'registered' } };
    assert.equal(erbId(verb, actor, '2020-07-15T06:36:01.917775+00:00'), 'bb946682-b0b9-5dc2-a17c-605ef5833c98');
  });

  it('reproduces ERB multi-question parent and child id vectors', () => {
    const verb = { id: 'https://w3id.org/xapi/acrossx/verbs/evaluated', display: { en: 'evaluated' } };
    const ts = '2023-08-03T06:31:39.005451+00:00';
    assert.equal(erbId(verb, actor, ts), '7d8be6d2-15b9-5f0d-bdfc-4e2daee2eee4');
    assert.equal(erbId(verb, actor, ts, 'a0effb954cca4759994f1ac9e9434bf4_2_1'), 'f3e25970-2c71-57a6-9ba9-8ba714e68f76');
  });

  it('gives different ids for different timestamps text, even of the same instant', () => {
    const verb = { id: 'http://adlnet.gov/expapi/verbs/registered', display: { en: 'registered' } };
    assert.notEqual(erbId(verb, actor, '2020-07-15T06:36:01.917775+00:00'), erbId(verb, actor, '2020-07-15T06:36:01.917775Z'));
  });
});
