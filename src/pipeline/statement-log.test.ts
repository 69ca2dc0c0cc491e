import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { TransformedRecord } from '../transforms/transform-event.js';
import { createStatementLog } from './statement-log.js';

const dir = mkdtempSync(join(tmpdir(), 'statement-log-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const record = (id: string) => ({ id, verb: { id: 'http://adlnet.gov/expapi/verbs/attempted' } }) as unknown as TransformedRecord;

describe('statement logs (xapi_tracking, caliper_tracking)', () => {
  it('writes one JSON line per record to each stream, only after flush', () => {
    const xapi = join(dir, 'xapi.log');
    const caliper = join(dir, 'caliper.log');
    const log = createStatementLog({ destinations: { xapi, caliper }, compat: 'valid' });
    assert.ok(log.enabled('xapi') && log.enabled('caliper'));
    log.add('xapi', record('a'));
    log.add('xapi', record('b'));
    log.add('caliper', record('c'));
    assert.deepEqual(log.flush(), { xapi: 2, caliper: 1 });
    assert.deepEqual(log.flush(), {});
    log.close();
    assert.deepEqual(readFileSync(xapi, 'utf8').trim().split('\n').map((l) => JSON.parse(l).id), ['a', 'b']);
    assert.deepEqual(readFileSync(caliper, 'utf8').trim().split('\n').map((l) => JSON.parse(l).id), ['c']);
  });

  it('a stream without a destination is off; both streams may share one file', () => {
    const both = join(dir, 'both.log');
    const log = createStatementLog({ destinations: { xapi: both, caliper: both }, compat: 'valid' });
    log.add('xapi', record('x'));
    log.add('caliper', record('y'));
    log.flush();
    log.close();
    assert.equal(readFileSync(both, 'utf8'), '{"id":"x","verb":{"id":"http://adlnet.gov/expapi/verbs/attempted"}}\n{"id":"y","verb":{"id":"http://adlnet.gov/expapi/verbs/attempted"}}\n');
    const off = createStatementLog({ destinations: {}, compat: 'valid' });
    assert.equal(off.enabled('xapi'), false);
    off.close();
  });
});

describe('atomicChunks', () => {
  it('groups lines into writes of at most 4096 bytes, never splitting a line', async () => {
    const { atomicChunks } = await import('./statement-log.js');
    const lines = Array.from({ length: 10 }, (_, i) => String(i).repeat(1000));
    const chunks = atomicChunks(lines);
    assert.equal(chunks.join(''), `${lines.join('\n')}\n`);
    for (const chunk of chunks) assert.ok(Buffer.byteLength(chunk) <= 4096);
    assert.deepEqual(atomicChunks(['x'.repeat(5000)]), [`${'x'.repeat(5000)}\n`]);
  });
});
