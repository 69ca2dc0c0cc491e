import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { scratchDir } from '../../test/integration/delivery/scenario.js';
import { classify } from './classify.js';
import { createFileTransport } from './file-transport.js';

describe('file:// transport', () => {
  const dir = scratchDir('file-transport');
  after(() => dir.remove());

  it('appends concurrent batches without interleaving lines', async () => {
    const transport = createFileTransport({ root: dir.path });
    const url = pathToFileURL(join(dir.path, 'out.ndjson')).href;
    const batches = Array.from({ length: 20 }, (_, b) => Array.from({ length: 50 }, (_, i) => JSON.stringify({ b, i, pad: 'z'.repeat(200) })));
    const results = await Promise.all(batches.map((lines) => transport.send({ url, headers: {}, body: '', lines })));
    assert.ok(results.every((r) => r.kind === 'response' && r.statusCode === 200));
    const lines = readFileSync(new URL(url), 'utf8').trimEnd().split('\n');
    assert.equal(lines.length, 1000);
    for (let k = 0; k < lines.length; k += 50) {
      const block = lines.slice(k, k + 50).map((l) => JSON.parse(l) as { b: number; i: number });
      assert.ok(
        block.every((x, i) => x.b === block[0]?.b && x.i === i),
        'a batch stays together',
      );
    }
    await transport.close();
  });

  it('reports a missing directory as a retryable error', async () => {
    const transport = createFileTransport({ root: dir.path });
    const url = pathToFileURL(join(dir.path, 'missing', 'out.ndjson')).href;
    const result = await transport.send({ url, headers: {}, body: '', lines: ['{}'] });
    assert.equal(result.kind === 'error' && result.code, 'ENOENT');
    assert.equal(classify('xapi', result, Date.now()).status, 'retryable');
  });

  it('creates files 0600', async () => {
    const transport = createFileTransport({ root: dir.path });
    const path = join(dir.path, 'private.ndjson');
    const result = await transport.send({ url: pathToFileURL(path).href, headers: {}, body: '', lines: ['{}'] });
    assert.equal(result.kind, 'response');
    assert.equal(statSync(path).mode & 0o777, 0o600);
  });

  it('writes nowhere outside the configured directory, and nowhere when none is configured', async () => {
    const outside = pathToFileURL(join(dir.path, '..', 'escaped.ndjson')).href;
    const inside = pathToFileURL(join(dir.path, 'ok.ndjson')).href;
    const bounded = await createFileTransport({ root: join(dir.path, 'sub') }).send({ url: outside, headers: {}, body: '', lines: ['{}'] });
    assert.equal(bounded.kind === 'error' && bounded.code, 'EOUTSIDEDIR');
    const off = await createFileTransport({ root: undefined }).send({ url: inside, headers: {}, body: '', lines: ['{}'] });
    assert.equal(off.kind === 'error' && off.code, 'EFILEROUTESOFF');
    assert.equal(classify('xapi', off, Date.now()).status, 'retryable', 'the statements wait for the fix');
  });

  it('follows no symbolic link: neither the file nor a directory on the way', async () => {
    const target = join(dir.path, 'target.txt');
    writeFileSync(target, 'keep\n');
    symlinkSync(target, join(dir.path, 'link.ndjson'));
    mkdirSync(join(dir.path, 'real'));
    symlinkSync(join(dir.path, 'real'), join(dir.path, 'linked-dir'));
    const transport = createFileTransport({ root: dir.path });
    const viaFile = await transport.send({ url: pathToFileURL(join(dir.path, 'link.ndjson')).href, headers: {}, body: '', lines: ['{}'] });
    assert.equal(viaFile.kind === 'error' && viaFile.code, 'ELOOP');
    const viaDir = await transport.send({ url: pathToFileURL(join(dir.path, 'linked-dir', 'x.ndjson')).href, headers: {}, body: '', lines: ['{}'] });
    assert.equal(viaDir.kind === 'error' && viaDir.code, 'ESYMLINK');
    assert.equal(readFileSync(target, 'utf8'), 'keep\n');
  });
});
