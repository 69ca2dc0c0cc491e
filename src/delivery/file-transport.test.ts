import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
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
    const transport = createFileTransport();
    const url = pathToFileURL(join(dir.path, 'out.ndjson')).href;
    const batches = Array.from({ length: 20 }, (_, b) =>
      Array.from({ length: 50 }, (_, i) => JSON.stringify({ b, i, pad: 'z'.repeat(200) })),
    );
    const results = await Promise.all(batches.map((lines) => transport.send({ url, headers: {}, body: '', lines })));
    assert.ok(results.every((r) => r.kind === 'response' && r.statusCode === 200));
    const lines = readFileSync(new URL(url), 'utf8').trimEnd().split('\n');
    assert.equal(lines.length, 1000);
    for (let k = 0; k < lines.length; k += 50) {
      const block = lines.slice(k, k + 50).map((l) => JSON.parse(l) as { b: number; i: number });
      assert.ok(block.every((x, i) => x.b === block[0]?.b && x.i === i), 'a batch stays together');
    }
    await transport.close();
  });

  it('reports a missing directory as a retryable error', async () => {
    const transport = createFileTransport();
    const url = pathToFileURL(join(dir.path, 'missing', 'out.ndjson')).href;
    const result = await transport.send({ url, headers: {}, body: '', lines: ['{}'] });
    assert.equal(result.kind === 'error' && result.code, 'ENOENT');
    assert.equal(classify('xapi', result, Date.now()).status, 'retryable');
  });
});
