import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type FakeLrs, startFakeLrs } from '../../test/fakes/fake-lrs.js';
import { createHttpTransport, DESTINATION_REFUSED } from './http-transport.js';

describe('HTTP transport', () => {
  let lrs: FakeLrs;
  before(async () => {
    lrs = await startFakeLrs();
  });
  after(async () => {
    await lrs.close();
  });

  it('POSTs the body with the headers and keeps the connection alive', async () => {
    const transport = createHttpTransport({ connections: 1 });
    const before = lrs.connections;
    for (let i = 0; i < 5; i++) {
      const result = await transport.send({
        url: `${lrs.url}xAPI/statements?tenant=1`,
        headers: { 'content-type': 'application/json', 'x-test': String(i) },
        body: JSON.stringify([{ id: `s${i}` }]),
      });
      assert.equal(result.kind === 'response' && result.statusCode, 200);
      assert.equal(result.kind === 'response' && result.body, `["s${i}"]`);
    }
    assert.equal(lrs.connections - before, 1);
    const last = lrs.requests.at(-1);
    assert.equal(last?.method, 'POST');
    assert.equal(last?.url, '/xAPI/statements?tenant=1');
    assert.equal(last?.headers['x-test'], '4');
    assert.deepEqual(last?.body, [{ id: 's4' }]);
    await transport.close();
  });

  it('refuses a destination the guard refuses, by URL and by the address a name resolves to', async () => {
    const port = new URL(lrs.url).port;
    const seen = lrs.requests.length;
    const transport = createHttpTransport({
      guard: {
        refused: (url) => (url.hostname === '127.0.0.2' ? 'refused by URL' : undefined),
        // Stands in for a DNS name that answers with a link-local address.
        refusedAddress: (address) => address === '127.0.0.1' || address === '::1',
      },
    });
    const byUrl = await transport.send({ url: `http://127.0.0.2:${port}/`, headers: {}, body: '' });
    assert.deepEqual(byUrl.kind === 'error' && [byUrl.code, byUrl.message], [DESTINATION_REFUSED, 'refused by URL']);
    const byName = await transport.send({ url: `http://localhost:${port}/`, headers: {}, body: '' });
    assert.equal(byName.kind === 'error' && byName.code, DESTINATION_REFUSED, JSON.stringify(byName));
    assert.equal(lrs.requests.length, seen, 'nothing reached the server');
    await transport.close();
  });

  it('keeps at most maxResponseChars of a response', async () => {
    lrs.script({ status: 500, body: 'x'.repeat(10_000) });
    const transport = createHttpTransport({ maxResponseChars: 100 });
    const result = await transport.send({ url: lrs.url, headers: {}, body: '' });
    assert.equal(result.kind === 'response' && result.body.length, 100);
    await transport.close();
  });

  it('ends a request when the caller aborts, as ABORTED', async () => {
    lrs.script({ status: 200, delayMs: 2000 });
    const transport = createHttpTransport({ timeoutMs: 5000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const result = await transport.send({ url: lrs.url, headers: {}, body: '' }, controller.signal);
    assert.equal(result.kind === 'error' && result.code, 'ABORTED');
    await transport.close();
  });

  it('answers ABORTED after close instead of throwing', async () => {
    const transport = createHttpTransport();
    await transport.close();
    const result = await transport.send({ url: lrs.url, headers: {}, body: '' });
    assert.equal(result.kind, 'error');
  });
});
