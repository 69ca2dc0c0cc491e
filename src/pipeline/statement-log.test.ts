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
    assert.deepEqual(
      readFileSync(xapi, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).id),
      ['a', 'b'],
    );
    assert.deepEqual(
      readFileSync(caliper, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).id),
      ['c'],
    );
  });

  it('a stream without a destination is off; both streams may share one file', () => {
    const both = join(dir, 'both.log');
    const log = createStatementLog({ destinations: { xapi: both, caliper: both }, compat: 'valid' });
    log.add('xapi', record('x'));
    log.add('caliper', record('y'));
    log.flush();
    log.close();
    assert.equal(
      readFileSync(both, 'utf8'),
      '{"id":"x","verb":{"id":"http://adlnet.gov/expapi/verbs/attempted"}}\n{"id":"y","verb":{"id":"http://adlnet.gov/expapi/verbs/attempted"}}\n',
    );
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

describe("ERB's log line form", () => {
  // Aspects' Vector pipeline reads ERB's statements from the LMS log with this expression.
  const VECTOR_XAPI = /^.* \[xapi_tracking\] [^{}]* (\{.*\})$/;
  const VECTOR_CALIPER = /^.* \[caliper_tracking\] [^{}]* (\{.*\})$/;

  it('writes the LMS logging prefix before each JSON, which Vector’s expression extracts whole', () => {
    const file = join(dir, 'erb-form.log');
    const at = Date.UTC(2026, 0, 5, 10, 0, 0, 7);
    const log = createStatementLog({ destinations: { xapi: file, caliper: file }, compat: 'valid', lineForm: 'erb', now: () => at });
    const statement = { id: 'a', verb: { id: 'http://adlnet.gov/expapi/verbs/attempted' }, object: { id: 'http://x/{b}' } } as unknown as TransformedRecord;
    log.add('xapi', statement);
    log.add('caliper', record('c'));
    log.flush();
    log.close();
    const [xapiLine, caliperLine] = readFileSync(file, 'utf8').trimEnd().split('\n');
    assert.equal(
      xapiLine,
      `2026-01-05 10:00:00,007 INFO ${process.pid} [xapi_tracking] [user None] [ip None] transformer_processor.py:61 - ${JSON.stringify(statement)}`,
    );
    assert.deepEqual(JSON.parse(VECTOR_XAPI.exec(xapiLine ?? '')?.[1] ?? 'null'), statement);
    assert.deepEqual(JSON.parse(VECTOR_CALIPER.exec(caliperLine ?? '')?.[1] ?? 'null'), record('c'));
    assert.equal(VECTOR_XAPI.exec(caliperLine ?? ''), null);
  });

  it('stamps each batch with the time of its first line', () => {
    const file = join(dir, 'erb-times.log');
    let clock = Date.UTC(2026, 0, 5, 10, 0, 0, 0);
    const log = createStatementLog({ destinations: { xapi: file }, compat: 'valid', lineForm: 'erb', now: () => clock });
    log.add('xapi', record('a'));
    clock += 61_000;
    log.add('xapi', record('b'));
    log.flush();
    log.add('xapi', record('c'));
    log.flush();
    log.close();
    const times = readFileSync(file, 'utf8')
      .trimEnd()
      .split('\n')
      .map((line) => line.slice(0, 23));
    assert.deepEqual(times, ['2026-01-05 10:00:00,000', '2026-01-05 10:00:00,000', '2026-01-05 10:01:01,000']);
  });
});
