import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { settingsSchema } from '../config/schema.js';
import { isLoopback, openIngestProblem } from './ingest-exposure.js';

describe('isLoopback', () => {
  const cases: Array<[string, boolean]> = [
    ['127.0.0.1', true],
    ['127.1.2.3', true],
    ['localhost', true],
    ['::1', true],
    ['[::1]', true],
    ['0:0:0:0:0:0:0:1', true],
    ['::ffff:127.0.0.1', true],
    ['0.0.0.0', false],
    ['::', false],
    ['10.0.0.5', false],
    ['router.internal', false],
  ];
  for (const [host, want] of cases) it(`${host} → ${want}`, () => assert.equal(isLoopback(host), want));
});

describe('openIngestProblem', () => {
  const settings = (values: Record<string, unknown>) => settingsSchema.parse(values) as Parameters<typeof openIngestProblem>[0];
  it('allows open ingest on loopback (the default), a token anywhere, and open ingest asked for', () => {
    assert.equal(openIngestProblem(settings({})), undefined);
    assert.equal(openIngestProblem(settings({ EVENT_ROUTER_HOST: '0.0.0.0', EVENT_ROUTER_INGEST_TOKEN: 'a-long-enough-ingest-token' })), undefined);
    assert.equal(openIngestProblem(settings({ EVENT_ROUTER_HOST: '0.0.0.0', EVENT_ROUTER_INGEST_OPEN: true })), undefined);
  });
  it('refuses open ingest on any other address, naming the two ways out', () => {
    const problem = openIngestProblem(settings({ EVENT_ROUTER_HOST: '0.0.0.0' })) ?? '';
    assert.match(problem, /EVENT_ROUTER_INGEST_TOKEN/);
    assert.match(problem, /EVENT_ROUTER_INGEST_OPEN=true/);
  });
});
