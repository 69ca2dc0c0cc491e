import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Backend, classify, MAX_CAPTURED_BODY_CHARS } from './classify.js';
import type { TransportResult } from './transport.js';

const NOW = Date.parse('2025-01-01T00:00:00Z');

function response(statusCode: number, headers: Record<string, string> = {}, body = ''): TransportResult {
  return { kind: 'response', statusCode, headers, body, durationMs: 1 };
}

function error(code: string): TransportResult {
  return { kind: 'error', code, message: `${code} happened`, durationMs: 1 };
}

type Expect = { status: 'delivered' | 'retryable' | 'rejected'; unhealthy?: boolean; retryAfterMs?: number; alreadyStored?: boolean };

/** The classification matrix (architecture §8). Numbers are stable: add rows at the end. */
const MATRIX: [id: string, rule: string, backend: Backend, result: TransportResult, expected: Expect][] = [
  ['T01', '200 is delivered', 'xapi', response(200, {}, '["id"]'), { status: 'delivered' }],
  ['T02', '204 is delivered', 'xapi', response(204), { status: 'delivered' }],
  ['T03', 'any 2xx is delivered (Caliper 201)', 'caliper', response(201), { status: 'delivered' }],
  ['T04', 'xAPI 409 is already stored, so delivered', 'xapi', response(409), { status: 'delivered', alreadyStored: true }],
  ['T05', 'Caliper 409 has no special meaning: rejected', 'caliper', response(409), { status: 'rejected' }],
  ['T06', '400 is rejected', 'xapi', response(400), { status: 'rejected' }],
  ['T07', '403 is rejected', 'xapi', response(403), { status: 'rejected' }],
  ['T08', '404 is rejected', 'caliper', response(404), { status: 'rejected' }],
  ['T09', '413 is rejected', 'xapi', response(413), { status: 'rejected' }],
  ['T10', '401 is rejected and marks the router unhealthy', 'xapi', response(401), { status: 'rejected', unhealthy: true }],
  ['T11', '408 is retryable', 'xapi', response(408), { status: 'retryable' }],
  ['T12', '429 is retryable', 'xapi', response(429), { status: 'retryable' }],
  ['T13', '429 carries Retry-After seconds', 'xapi', response(429, { 'retry-after': '7' }), { status: 'retryable', retryAfterMs: 7000 }],
  [
    'T14',
    '503 carries Retry-After as an HTTP date',
    'caliper',
    response(503, { 'retry-after': 'Wed, 01 Jan 2025 00:00:30 GMT' }),
    { status: 'retryable', retryAfterMs: 30_000 },
  ],
  ['T15', 'an unreadable Retry-After is ignored', 'xapi', response(503, { 'retry-after': 'soon' }), { status: 'retryable' }],
  ['T16', '500 is retryable', 'xapi', response(500), { status: 'retryable' }],
  ['T17', '502 is retryable', 'xapi', response(502), { status: 'retryable' }],
  ['T18', '503 is retryable', 'caliper', response(503), { status: 'retryable' }],
  ['T19', '504 is retryable', 'xapi', response(504), { status: 'retryable' }],
  ['T20', '501 is rejected (never implemented)', 'xapi', response(501), { status: 'rejected' }],
  ['T21', '505 is rejected (version never supported)', 'xapi', response(505), { status: 'rejected' }],
  ['T22', 'ECONNREFUSED is retryable', 'xapi', error('ECONNREFUSED'), { status: 'retryable' }],
  ['T23', 'ECONNRESET is retryable', 'xapi', error('ECONNRESET'), { status: 'retryable' }],
  ['T24', 'ETIMEDOUT is retryable', 'caliper', error('ETIMEDOUT'), { status: 'retryable' }],
  ['T25', 'EAI_AGAIN is retryable', 'xapi', error('EAI_AGAIN'), { status: 'retryable' }],
  ['T26', 'a request timeout is retryable', 'xapi', error('TIMEOUT'), { status: 'retryable' }],
  ['T27', 'a socket closed by the server is retryable', 'xapi', error('UND_ERR_SOCKET'), { status: 'retryable' }],
  ['T28', 'an unknown transport error is retried, not lost', 'xapi', error('EWHATEVER'), { status: 'retryable' }],
  ['T29', 'a redirect (not followed) is rejected', 'xapi', response(302, { location: '/x' }), { status: 'rejected' }],
  ['T30', 'another 4xx (422) is rejected', 'caliper', response(422), { status: 'rejected' }],
  ['T31', 'a 5xx beyond the known ones (599) is retryable', 'xapi', response(599), { status: 'retryable' }],
];

describe('classify: status/error → outcome matrix', () => {
  for (const [id, rule, backend, result, expected] of MATRIX) {
    it(`${id} ${rule}`, () => {
      const outcome = classify(backend, result, NOW);
      assert.equal(outcome.status, expected.status);
      if (outcome.status === 'rejected') assert.equal(outcome.unhealthy ?? false, expected.unhealthy ?? false);
      if (outcome.status === 'retryable') assert.equal(outcome.retryAfterMs, expected.retryAfterMs);
      if (outcome.status === 'delivered') assert.equal(outcome.alreadyStored ?? false, expected.alreadyStored ?? false);
    });
  }

  it('keeps the status and a truncated body for the dead-letter store', () => {
    const outcome = classify('xapi', response(400, {}, 'x'.repeat(MAX_CAPTURED_BODY_CHARS + 50)), NOW);
    assert.equal(outcome.status, 'rejected');
    if (outcome.status !== 'rejected') return;
    assert.equal(outcome.response.statusCode, 400);
    assert.equal(outcome.response.body?.length, MAX_CAPTURED_BODY_CHARS + 1);
    assert.equal(outcome.error, 'HTTP 400');
  });

  it('keeps the error code and message of a transport error', () => {
    const outcome = classify('xapi', error('ECONNREFUSED'), NOW);
    assert.deepEqual(outcome.status === 'retryable' && outcome.response, { errorCode: 'ECONNREFUSED', message: 'ECONNREFUSED happened' });
  });
});
