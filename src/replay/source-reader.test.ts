import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { blockLines } from '../sources/tracking-log/byte-lines.js';
import { readSourceLines, SourceReadError } from './source-reader.js';
import type { ReplaySource } from './sources/replay-source.js';

/** A source over bytes that records where it was opened and can fail once mid-way. */
function memorySource(bytes: Buffer, options: { failOnceAfter?: number; transient?: boolean } = {}): ReplaySource & { opens: number[] } {
  const opens: number[] = [];
  let failed = false;
  return {
    name: 'mem',
    identity: 'mem',
    size: bytes.length,
    opens,
    async open(offset) {
      opens.push(offset);
      const data = bytes.subarray(offset);
      const failAt = !failed && options.failOnceAfter !== undefined ? options.failOnceAfter : undefined;
      return (async function* () {
        for (let i = 0; i < data.length; i += 7) {
          if (failAt !== undefined && i >= failAt) {
            failed = true;
            throw Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
          }
          yield data.subarray(i, i + 7);
        }
      })();
    },
    isTransient: () => options.transient ?? false,
  };
}

async function texts(source: ReplaySource, from?: Parameters<typeof readSourceLines>[1]): Promise<string[]> {
  const out: string[] = [];
  for await (const chunk of readSourceLines(source, from)) for (const line of blockLines(chunk.block)) out.push(`${line.lineNumber}:${line.text}`);
  return out;
}

const TEXT = 'one\ntwo\nthree\nfour\n';

describe('readSourceLines', () => {
  it('resumes a plain source by seeking to the checkpoint offset', async () => {
    const source = memorySource(Buffer.from(TEXT));
    const lines = await texts(source, { from: { identity: 'mem', source: 'mem', encoding: 'plain', lines: 2, bytes: 8, done: false } });
    assert.deepEqual(lines, ['3:three', '4:four']);
    assert.deepEqual(source.opens, [8]);
  });

  it('resumes a gzip source by reading from the start and skipping the lines already sent', async () => {
    const source = memorySource(gzipSync(TEXT));
    const lines = await texts(source, { from: { identity: 'mem', source: 'mem', encoding: 'gzip', lines: 3, bytes: 14, done: false } });
    assert.deepEqual(lines, ['4:four']);
    assert.deepEqual(source.opens, [0]);
  });

  it('reopens after a transient error where it stopped, without repeating or losing a line', async () => {
    const source = memorySource(Buffer.from(TEXT), { failOnceAfter: 10, transient: true });
    assert.deepEqual(await texts(source), ['1:one', '2:two', '3:three', '4:four']);
    assert.deepEqual(source.opens, [0, 14]);
  });

  it('ends with a SourceReadError after the last line read when the error is not transient', async () => {
    const source = memorySource(Buffer.from(TEXT), { failOnceAfter: 10 });
    const seen: string[] = [];
    await assert.rejects(
      async () => {
        for await (const chunk of readSourceLines(source)) for (const line of blockLines(chunk.block)) seen.push(line.text);
      },
      (error: unknown) => error instanceof SourceReadError && error.afterLine === 3 && /ECONNRESET/.test(error.message),
    );
    assert.deepEqual(seen, ['one', 'two', 'three']);
  });
});
