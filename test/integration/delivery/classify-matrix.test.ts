import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { classify } from '../../../src/delivery/classify.js';
import { createHttpTransport } from '../../../src/delivery/http-transport.js';
import type { Transport } from '../../../src/delivery/transport.js';
import { type FakeLrs, type FakeResponse, startFakeLrs } from '../../fakes/fake-lrs.js';

/** The rows of classify.test.ts that a real server can produce, over real sockets. */
const ROWS: [id: string, answer: FakeResponse, backend: 'xapi' | 'caliper', status: string, extra?: object][] = [
  ['T01', { status: 200, body: ['id'] }, 'xapi', 'delivered'],
  ['T02', { status: 204 }, 'xapi', 'delivered'],
  ['T04', { status: 409 }, 'xapi', 'delivered', { alreadyStored: true }],
  ['T05', { status: 409 }, 'caliper', 'rejected'],
  ['T06', { status: 400, body: { error: 'bad' } }, 'xapi', 'rejected'],
  ['T07', { status: 403 }, 'xapi', 'rejected'],
  ['T08', { status: 404 }, 'caliper', 'rejected'],
  ['T09', { status: 413 }, 'xapi', 'rejected'],
  ['T10', { status: 401 }, 'xapi', 'rejected', { unhealthy: true }],
  ['T11', { status: 408 }, 'xapi', 'retryable'],
  ['T13', { status: 429, headers: { 'retry-after': '7' } }, 'xapi', 'retryable', { retryAfterMs: 7000 }],
  ['T16', { status: 500 }, 'xapi', 'retryable'],
  ['T17', { status: 502 }, 'xapi', 'retryable'],
  ['T18', { status: 503 }, 'caliper', 'retryable'],
  ['T19', { status: 504 }, 'xapi', 'retryable'],
  ['T20', { status: 501 }, 'xapi', 'rejected'],
  ['T21', { status: 505 }, 'xapi', 'rejected'],
  ['T26', { status: 200, delayMs: 2500 }, 'xapi', 'retryable'],
  ['T27', { status: 200, destroy: true }, 'xapi', 'retryable'],
  ['T29', { status: 302, headers: { location: '/elsewhere' } }, 'xapi', 'rejected'],
];

describe('classify matrix against the fake LRS', () => {
  let lrs: FakeLrs;
  let transport: Transport;
  before(async () => {
    lrs = await startFakeLrs();
    // Generous for a loaded machine; the timeout rows answer far later than this.
    transport = createHttpTransport({ timeoutMs: 1000 });
  });
  after(async () => {
    await transport.close();
    await lrs.close();
  });

  const request = () => ({ url: `${lrs.url}statements`, headers: { 'content-type': 'application/json' }, body: '[]' });

  for (const [id, answer, backend, status, extra] of ROWS) {
    it(`${id} HTTP ${answer.status}${answer.delayMs ? ' too late' : ''}${answer.destroy ? ' connection dropped' : ''} → ${status}`, async () => {
      lrs.script(answer);
      const outcome = classify(backend, await transport.send(request()), Date.now());
      assert.equal(outcome.status, status);
      for (const [key, value] of Object.entries(extra ?? {})) assert.equal((outcome as Record<string, unknown>)[key], value, key);
    });
  }

  it('T22 ECONNREFUSED (LRS down) → retryable', async () => {
    const down = await startFakeLrs();
    const url = `${down.url}statements`;
    await down.close();
    const result = await transport.send({ ...request(), url });
    assert.equal(result.kind === 'error' && result.code, 'ECONNREFUSED');
    assert.equal(classify('xapi', result, Date.now()).status, 'retryable');
  });

  it('T26 reports a timeout as TIMEOUT', async () => {
    lrs.script({ status: 200, delayMs: 2500 });
    const result = await transport.send(request());
    assert.equal(result.kind === 'error' && result.code, 'TIMEOUT');
  });
});
