import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRecordingObserver } from '../../test/fakes/recording-observer.js';
import { seededRandom } from '../../test/integration/delivery/scenario.js';
import type { DeliveryOutcome } from './outcome.js';
import { createRouterState } from './router-state.js';

const ok: DeliveryOutcome = { status: 'delivered', statusCode: 200 };
const down: DeliveryOutcome = { status: 'retryable', error: 'ECONNREFUSED: refused', response: { errorCode: 'ECONNREFUSED' } };
const busy: DeliveryOutcome = { status: 'retryable', error: 'HTTP 503', response: { statusCode: 503 } };
const limited: DeliveryOutcome = { status: 'retryable', error: 'HTTP 429', retryAfterMs: 1000, response: { statusCode: 429 } };
const facts = { started: true, running: true, enabled: true, inFlight: 0 };

function setup() {
  let clock = 1_000_000;
  const observer = createRecordingObserver();
  const state = createRouterState({ routerId: 'r', now: () => clock, observer, maxInFlight: 4, unauthorizedRetryMs: 60_000 });
  return { state, observer, advance: (ms: number) => void (clock += ms), now: () => clock };
}

describe('router state', () => {
  it('keeps the window near full and the circuit closed while 30 % of requests fail at random', () => {
    const { state } = setup();
    const random = seededRandom(7);
    const limits: number[] = [];
    for (let i = 0; i < 2000; i++) {
      state.afterRequest(random() < 0.3 ? busy : ok);
      assert.equal(state.open(), false, `circuit opened at request ${i}`);
      assert.equal(state.paused(), false);
      limits.push(state.limit());
    }
    const mean = limits.reduce((a, b) => a + b, 0) / limits.length;
    assert.ok(mean >= 3, `mean window ${mean}`);
  });

  it('narrows the window as failures take over', () => {
    const { state } = setup();
    state.afterRequest(ok);
    state.afterRequest(ok);
    for (let i = 0; i < 4; i++) state.afterRequest(busy);
    assert.equal(state.open(), false, 'four of six failed: partly failing, not down');
    assert.equal(state.limit(), 1);
    state.afterRequest(ok);
    assert.equal(state.limit(), 2);
  });

  it('opens when every request fails, probes once per interval, closes on the first success with the full window', () => {
    const { state, observer, advance } = setup();
    for (let i = 0; i < 2; i++) state.afterRequest(down);
    assert.equal(state.open(), false, 'two failures are not yet enough to call it down');
    state.afterRequest(down);
    assert.equal(state.open(), true);
    assert.equal(state.limit(), 1);
    assert.equal(state.paused(), true, 'nothing before the first probe');
    state.refresh(facts);
    assert.equal(state.health(facts).state, 'circuit_open');
    advance(999);
    assert.equal(state.paused(), true);
    advance(1);
    assert.equal(state.paused(), false, 'a probe may go');
    state.probing();
    assert.equal(state.paused(), true, 'one probe per interval');
    state.afterRequest(down);
    advance(1000);
    assert.equal(state.paused(), false);
    state.probing();
    state.afterRequest(ok);
    assert.equal(state.open(), false);
    assert.equal(state.paused(), false);
    assert.equal(state.limit(), 4, 'the backlog flows at full speed at once');
    state.refresh(facts);
    assert.deepEqual(
      observer.of('health').map((e) => e.health.state),
      ['healthy'],
    );
  });

  it('opens in a window of 20 only when at least 90 % failed', () => {
    const { state } = setup();
    for (let i = 0; i < 3; i++) state.afterRequest(ok);
    for (let i = 0; i < 17; i++) state.afterRequest(busy);
    assert.equal(state.open(), false, '17 of 20');
    state.afterRequest(busy);
    assert.equal(state.open(), true, '18 of 20');
  });

  it('on 429 with Retry-After waits that long, halves the window, and leaves the circuit closed', () => {
    const { state, advance } = setup();
    state.afterRequest(limited);
    assert.equal(state.limit(), 2);
    assert.equal(state.paused(), true);
    assert.equal(state.open(), false);
    advance(999);
    assert.equal(state.paused(), true);
    advance(1);
    assert.equal(state.paused(), false);
    for (let i = 0; i < 30; i++) state.afterRequest(limited);
    assert.equal(state.open(), false, 'rate limits never open the circuit');
  });

  it('tells a Retry-After wait (rate_limited, with its end) from an open circuit (circuit_open)', () => {
    const { state, advance, now } = setup();
    state.afterRequest({ ...busy, retryAfterMs: 30_000 });
    const limitedHealth = state.health(facts);
    assert.equal(limitedHealth.state, 'rate_limited');
    assert.equal(limitedHealth.pausedUntil, now() + 30_000);
    advance(30_000);
    assert.equal(state.health(facts).state, 'healthy', 'the wait is over');
    for (let i = 0; i < 3; i++) state.afterRequest(down);
    assert.equal(state.health(facts).state, 'circuit_open');
    assert.equal(state.health(facts).pausedUntil, now() + 1000, 'the next probe');
    state.afterRequest(limited);
    assert.equal(state.health(facts).state, 'rate_limited', 'while the LRS asks for time, that is what the router waits for');
    advance(1000);
    assert.equal(state.health(facts).state, 'circuit_open', 'then it is still down');
  });

  it('ends every wait on reset (new credentials, a new URL, an operator’s retry now)', () => {
    const { state } = setup();
    for (let i = 0; i < 3; i++) state.afterRequest(down);
    state.afterRequest({ ...busy, retryAfterMs: 600_000 });
    assert.equal(state.paused(), true);
    state.reset();
    assert.equal(state.paused(), false);
    assert.equal(state.open(), false);
    assert.equal(state.limit(), 4);
    assert.equal(state.health(facts).state, 'healthy');
  });

  it('on 401 holds the router until the retry interval or a reset', () => {
    const { state, advance } = setup();
    state.afterRequest({ status: 'rejected', error: 'HTTP 401', unhealthy: true, response: { statusCode: 401 } });
    assert.equal(state.health(facts).state, 'unauthorized');
    assert.equal(state.paused(), true);
    advance(60_000);
    assert.equal(state.paused(), false);
    state.afterRequest({ status: 'rejected', error: 'HTTP 401', unhealthy: true, response: { statusCode: 401 } });
    state.reset();
    assert.equal(state.paused(), false);
    assert.equal(state.health(facts).state, 'healthy');
  });

  it('counts a statement refused on its own as an answering destination', () => {
    const { state } = setup();
    for (let i = 0; i < 2; i++) state.afterRequest(down);
    state.afterRequest({ status: 'rejected', error: 'HTTP 400', response: { statusCode: 400 } });
    state.afterRequest(down);
    assert.equal(state.open(), false);
  });
});
