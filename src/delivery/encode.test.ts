import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JsonPayload } from '../queue/json-payload.js';
import { encodeBatch, encodeItems } from './encode.js';
import { authorizationHeader } from './headers.js';
import { statementsUrl } from './lrs/xapi/request.js';
import type { DeliveryRouter } from './router-config.js';

const base: DeliveryRouter = {
  id: 'r1',
  backend: 'xapi',
  url: 'http://lrs.example/xAPI',
  auth: { scheme: 'basic', username: 'user', password: 'pass' },
  batching: { enabled: true, size: 10, intervalMs: 1000 },
};
const ctx = { caliperSensor: 'http://lms.example', now: new Date('2025-02-03T04:05:06.789Z') };

describe('statements URL (tincan normalisation)', () => {
  for (const [input, expected] of [
    ['http://lrs.example/xAPI', 'http://lrs.example/xAPI/statements'],
    ['http://lrs.example/xAPI/', 'http://lrs.example/xAPI/statements'],
    ['https://lrs.example', 'https://lrs.example/statements'],
    ['lrs.example:8100/xAPI/', 'http://lrs.example:8100/xAPI/statements'],
    ['http://lrs.example/xAPI?tenant=7', 'http://lrs.example/xAPI/statements?tenant=7'],
  ] as const) {
    it(`${input} → ${expected}`, () => assert.equal(statementsUrl(input), expected));
  }
});

describe('auth header', () => {
  it('builds Basic and Bearer, nothing without credentials', () => {
    assert.equal(authorizationHeader({ scheme: 'basic', username: 'user', password: 'pass' }), 'Basic dXNlcjpwYXNz');
    assert.equal(authorizationHeader({ scheme: 'basic', username: 'user' }), undefined);
    assert.equal(authorizationHeader({ scheme: 'bearer', token: 'tok' }), 'Bearer tok');
    assert.equal(authorizationHeader({ scheme: 'bearer', token: '' }), undefined);
    assert.equal(authorizationHeader({ scheme: 'none', token: 'tok' }), undefined);
  });
});

describe('encode a batch', () => {
  it('xAPI: a JSON array to /statements with version, type, auth and extra headers', () => {
    const router = { ...base, headers: { 'X-Tenant': 'a', 'content-type': 'text/plain', Authorization: 'x' } };
    const request = encodeBatch(router, [{ id: '1' }, { id: '2' }], ctx);
    assert.equal(request.url, 'http://lrs.example/xAPI/statements');
    assert.deepEqual(request.headers, {
      'x-tenant': 'a',
      'content-type': 'application/json',
      authorization: 'Basic dXNlcjpwYXNz',
      'x-experience-api-version': '1.0.3',
    });
    assert.deepEqual(JSON.parse(request.body as string), [{ id: '1' }, { id: '2' }]);
  });

  it('xAPI: override_args at each statement root', () => {
    const router = { ...base, overrideArgs: { authority: { name: 'lms' }, id: 'forced' } };
    const request = encodeBatch(router, [{ id: '1', verb: 'v' }], ctx);
    assert.deepEqual(JSON.parse(request.body as string), [{ id: 'forced', verb: 'v', authority: { name: 'lms' } }]);
  });

  it('Caliper: one envelope for the batch, to the URL as is, override_args on the envelope', () => {
    const router: DeliveryRouter = {
      ...base,
      backend: 'caliper',
      url: 'http://caliper.example/events?x=1',
      auth: { scheme: 'bearer', token: 'tok' },
      headers: { 'X-Extra': '1' },
      overrideArgs: { sensor: 'http://other.example' },
    };
    const request = encodeBatch(router, [{ id: 'e1' }, { id: 'e2' }], ctx);
    assert.equal(request.url, 'http://caliper.example/events?x=1');
    assert.deepEqual(request.headers, { 'x-extra': '1', authorization: 'Bearer tok', 'content-type': 'application/json' });
    const envelope = JSON.parse(request.body as string) as Record<string, unknown>;
    assert.deepEqual(Object.keys(envelope), ['sensor', 'sendTime', 'dataVersion', 'data']);
    assert.deepEqual(envelope, {
      sensor: 'http://other.example',
      sendTime: '2025-02-03T04:05:06.789Z',
      dataVersion: 'http://purl.imsglobal.org/ctx/caliper/v1p2',
      data: [{ id: 'e1' }, { id: 'e2' }],
    });
  });

  it('file://: one JSON line per statement (xAPI with overrides) or bare event (Caliper)', () => {
    const xapi = encodeBatch({ ...base, url: 'file:///tmp/x.ndjson', overrideArgs: { a: 1 } }, [{ id: '1' }], ctx);
    assert.deepEqual(xapi.lines, ['{"id":"1","a":1}']);
    const caliper = encodeBatch({ ...base, backend: 'caliper', url: 'file:///tmp/c.ndjson' }, [{ id: 'e' }], ctx);
    assert.deepEqual(caliper.lines, ['{"id":"e"}']);
  });

  it('from the stored JSON text: the text used as it is, parsed only for override_args', () => {
    // Spaces JSON.stringify would not write: a body built from the parsed value would lose them.
    const texts = ['{"id":"e1",  "n":1}', '{"id":"e2", "s":"é\\"\\\\"}'];
    const stored = texts.map((text) => ({ payload: JsonPayload.fromText(text) }));
    const caliper: DeliveryRouter = { ...base, backend: 'caliper', url: 'http://caliper.example/' };
    assert.equal(encodeItems(base, stored, ctx).body, `[${texts.join(',')}]`);
    const envelope = JSON.stringify({ sensor: ctx.caliperSensor, sendTime: ctx.now.toISOString(), dataVersion: 'http://purl.imsglobal.org/ctx/caliper/v1p2' });
    assert.equal(encodeItems(caliper, stored, ctx).body, `${envelope.slice(0, -1)},"data":[${texts.join(',')}]}`);
    assert.deepEqual(encodeItems({ ...base, url: 'file:///tmp/x.ndjson' }, stored, ctx).lines, texts);
    assert.deepEqual(encodeItems({ ...caliper, url: 'file:///tmp/c.ndjson' }, stored, ctx).lines, texts);
    const values = texts.map((text) => JSON.parse(text) as Record<string, unknown>);
    const overridden = encodeItems({ ...base, overrideArgs: { a: 1 } }, stored, ctx);
    assert.equal(overridden.body, JSON.stringify(values.map((v) => ({ ...v, a: 1 }))));
  });
});
