import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { splitLines, type PositionedLine } from './byte-lines.js';

async function* chunks(...parts: Array<string | Buffer>): AsyncGenerator<Buffer> {
  for (const part of parts) yield typeof part === 'string' ? Buffer.from(part) : part;
}

async function all(source: AsyncIterable<PositionedLine[]>): Promise<PositionedLine[]> {
  const out: PositionedLine[] = [];
  for await (const lines of source) out.push(...lines);
  return out;
}

describe('splitLines', () => {
  it('numbers lines and gives the byte offset after each newline, across chunk boundaries', async () => {
    const lines = await all(splitLines(chunks('ab\nc', 'd\r\n\nef', 'g\n')));
    assert.deepEqual(lines, [
      { text: 'ab', lineNumber: 1, endOffset: 3 },
      { text: 'cd', lineNumber: 2, endOffset: 7 },
      { text: '', lineNumber: 3, endOffset: 8 },
      { text: 'efg', lineNumber: 4, endOffset: 12 },
    ]);
  });

  it('decodes a multi-byte character split across two chunks (ERB decoded chunks on their own and failed)', async () => {
    const bytes = Buffer.from('é€\n', 'utf8');
    const lines = await all(splitLines(chunks(bytes.subarray(0, 1), bytes.subarray(1, 3), bytes.subarray(3))));
    assert.deepEqual(
      lines.map((l) => l.text),
      ['é€'],
    );
  });

  it('yields a last line without newline, marked unterminated', async () => {
    const lines = await all(splitLines(chunks('a\n{"half')));
    assert.deepEqual(lines[1], { text: '{"half', lineNumber: 2, endOffset: 8, unterminated: true });
  });

  it('drops lines longer than the limit without holding them', async () => {
    const lines = await all(splitLines(chunks('ok\n', 'x'.repeat(10), 'y'.repeat(10), '\nnext\n', 'z'.repeat(30)), { maxLineBytes: 16 }));
    assert.deepEqual(lines, [
      { text: 'ok', lineNumber: 1, endOffset: 3 },
      { text: '', lineNumber: 2, endOffset: 24, oversized: true },
      { text: 'next', lineNumber: 3, endOffset: 29 },
      { text: '', lineNumber: 4, endOffset: 59, unterminated: true, oversized: true },
    ]);
  });

  it('continues numbering and offsets from a resume point, and skips lines already replayed', async () => {
    const seeked = await all(splitLines(chunks('c\nd\n'), { startLine: 2, startOffset: 4 }));
    assert.deepEqual(seeked, [
      { text: 'c', lineNumber: 3, endOffset: 6 },
      { text: 'd', lineNumber: 4, endOffset: 8 },
    ]);
    const skipped = await all(splitLines(chunks('a\nb\nc\n'), { skipThroughLine: 2 }));
    assert.deepEqual(skipped, [{ text: 'c', lineNumber: 3, endOffset: 6 }]);
  });

  it('propagates a stream error and drops the partial line', async () => {
    async function* failing(): AsyncGenerator<Buffer> {
      yield Buffer.from('a\npart');
      throw new Error('boom');
    }
    const seen: string[] = [];
    await assert.rejects(async () => {
      for await (const lines of splitLines(failing())) for (const l of lines) seen.push(l.text);
    }, /boom/);
    assert.deepEqual(seen, ['a']);
  });
});
