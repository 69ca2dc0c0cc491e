import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Utf8Writer } from './utf8-writer.js';

// Strings with every kind of code unit the encoder treats apart.
const SAMPLES = [
  '',
  'plain ascii',
  'quote " backslash \\ slash /',
  'controls \u0000\u0001\b\t\n\u000b\f\r\u001f and \u007f',
  'two bytes é ß ǅ \u0080 \u07ff',
  'three bytes 北京 \u0800 \uffff \u2028\u2029',
  'four bytes 😀 𝄞',
  'lone high \ud800 then text',
  'lone low \udc00',
  'ends high \udbff',
  'reversed pair \udc00\ud800',
];

describe('Utf8Writer', () => {
  it('encodes text as Buffer.from does, lone surrogates as U+FFFD', () => {
    const out = new Utf8Writer();
    for (const text of SAMPLES) {
      out.reset();
      out.text(text);
      assert.deepEqual(out.written(), Buffer.from(text, 'utf8'), JSON.stringify(text));
    }
  });

  it('writes JSON strings as JSON.stringify spells them', () => {
    const out = new Utf8Writer();
    for (const text of SAMPLES) {
      out.reset();
      out.jsonString(text);
      assert.equal(out.written().toString('utf8'), JSON.stringify(text));
    }
    out.reset();
    for (let code = 0; code < 0x10000; code++) out.jsonString(String.fromCharCode(code));
    let expected = '';
    for (let code = 0; code < 0x10000; code++) expected += JSON.stringify(String.fromCharCode(code));
    assert.equal(out.written().toString('utf8'), expected);
  });

  it('appends pieces, bytes included, and grows past its first buffer', () => {
    const out = new Utf8Writer();
    const head = Uint8Array.from([0, 255, 16]);
    out.bytes(head);
    const long = 'é'.repeat(5000) + '😀';
    out.text(long);
    out.byte(0x0a);
    out.jsonString('x"'.repeat(3000));
    assert.deepEqual(out.written(), Buffer.concat([head, Buffer.from(long), Buffer.from('\n'), Buffer.from(JSON.stringify('x"'.repeat(3000)))]));
    out.reset();
    out.text('again');
    assert.equal(out.written().toString(), 'again');
  });
});
