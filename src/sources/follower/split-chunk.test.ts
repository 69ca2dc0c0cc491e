import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { splitChunk } from './split-chunk.js';

const PREFIX = '2023-05-23 13:53:13,461 INFO 20 [tracking] [user None] [ip None] logger.py:41 - ';

describe('splitChunk', () => {
  it('keeps the JSON of prefixed lines, skips blank lines and ends at the offset after the last line', () => {
    const text = `${PREFIX}{"name":"a"}\n\n  \r\n{"name":"b"}\r\nnot json\n`;
    const chunk = splitChunk(Buffer.from(text), Buffer.byteLength(text), 100, 10);
    assert.deepEqual(
      chunk.inputs.map((i) => i.body),
      ['{"name":"a"}', '{"name":"b"}', 'not json'],
    );
    assert.equal(chunk.lines, 3);
    assert.equal(chunk.end, 100 + Buffer.byteLength(text));
  });

  it('stops after maxLines, at the offset just past the last line taken', () => {
    const text = '{"name":"a"}\n{"name":"b"}\n{"name":"c"}\n';
    const chunk = splitChunk(Buffer.from(text), text.length, 0, 2);
    assert.deepEqual(
      chunk.inputs.map((i) => i.body),
      ['{"name":"a"}', '{"name":"b"}'],
    );
    assert.equal(chunk.end, 26);
  });

  it('stores a line with text after its JSON whole, for the pipeline to count', () => {
    const text = `${PREFIX}{"name":"a"} trailing\n`;
    const chunk = splitChunk(Buffer.from(text), text.length, 0, 10);
    assert.deepEqual(
      chunk.inputs.map((i) => i.body),
      [`${PREFIX}{"name":"a"} trailing`],
    );
  });

  it('decodes multi-byte characters whole', () => {
    const text = '{"name":"é","x":"日本"}\n';
    const chunk = splitChunk(Buffer.from(text), Buffer.byteLength(text), 0, 10);
    assert.deepEqual(
      chunk.inputs.map((i) => i.body),
      ['{"name":"é","x":"日本"}'],
    );
    assert.equal(chunk.end, Buffer.byteLength(text));
  });
});
