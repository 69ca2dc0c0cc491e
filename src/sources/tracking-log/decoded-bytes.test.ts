import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { decodeBytes } from './decoded-bytes.js';

async function* chunks(...parts: Buffer[]): AsyncGenerator<Buffer> {
  yield* parts;
}

async function text(source: AsyncIterable<Buffer>): Promise<string> {
  const out: Buffer[] = [];
  for await (const chunk of source) out.push(chunk);
  return Buffer.concat(out).toString('utf8');
}

describe('decodeBytes', () => {
  it('passes plain bytes through and counts raw bytes', async () => {
    let raw = 0;
    const decoded = await decodeBytes(chunks(Buffer.from('a'), Buffer.from('bc\n')), (n) => (raw += n));
    assert.equal(decoded.encoding, 'plain');
    assert.equal(await text(decoded.chunks), 'abc\n');
    assert.equal(raw, 4);
  });

  it('gunzips by magic bytes, even when the first chunk holds one byte', async () => {
    const gz = gzipSync('line 1\nline 2\n');
    const decoded = await decodeBytes(chunks(gz.subarray(0, 1), gz.subarray(1)));
    assert.equal(decoded.encoding, 'gzip');
    assert.equal(await text(decoded.chunks), 'line 1\nline 2\n');
  });

  it('reads concatenated gzip members (rotated logs glued together) whole', async () => {
    const decoded = await decodeBytes(chunks(Buffer.concat([gzipSync('a\n'), gzipSync('b\n')])));
    assert.equal(await text(decoded.chunks), 'a\nb\n');
  });

  it('keeps what was decoded before a truncated gzip fails', async () => {
    const big = Buffer.from(Array.from({ length: 5000 }, (_, i) => `line ${i} ${Math.random()}`).join('\n'));
    const gz = gzipSync(big);
    const decoded = await decodeBytes(chunks(gz.subarray(0, Math.floor(gz.length / 2))));
    const got: Buffer[] = [];
    await assert.rejects(async () => {
      for await (const chunk of decoded.chunks) got.push(chunk);
    }, /unexpected end of file/);
    assert.ok(Buffer.concat(got).length > 0);
  });

  it('handles an empty source', async () => {
    const decoded = await decodeBytes(chunks());
    assert.equal(decoded.encoding, 'plain');
    assert.equal(await text(decoded.chunks), '');
  });
});
