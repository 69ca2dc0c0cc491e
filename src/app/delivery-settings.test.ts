import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadSettings } from '../config/load.js';
import type { Settings } from '../config/schema.js';
import type { RetryableOutcome } from '../delivery/retry-policy.js';
import { retryPolicyFrom } from './delivery-settings.js';

const busy: RetryableOutcome = { status: 'retryable', error: 'HTTP 503', response: { statusCode: 503 } };
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

function settings(env: Record<string, string> = {}): Settings {
  const loaded = loadSettings({ env });
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  return loaded.settings;
}

/** Fails one statement at every retry the policy schedules, on an injected clock; returns when it gives up, or null. */
function failUntilGiveUp(env: Record<string, string>, forMs: number, businessCritical = false): { attempts: number; elapsedMs: number } | null {
  const policy = retryPolicyFrom(settings(env));
  let elapsedMs = 0;
  for (let attempt = 1; elapsedMs <= forMs; attempt++) {
    const decision = policy(attempt, busy, elapsedMs, { businessCritical });
    if ('giveUp' in decision) return { attempts: attempt, elapsedMs };
    elapsedMs += decision.retryInMs;
  }
  return null;
}

describe('retry policy from the settings', () => {
  it('starts at about 1 s and never waits longer than the countdown between two retries', () => {
    const policy = retryPolicyFrom(settings());
    const first = policy(1, busy, 0);
    assert.ok('retryInMs' in first && first.retryInMs >= 800 && first.retryInMs <= 1200, JSON.stringify(first));
    for (let attempt = 1; attempt < 40; attempt++) {
      const decision = policy(attempt, busy, attempt * 1000);
      assert.ok('retryInMs' in decision && decision.retryInMs <= 30_000, `attempt ${attempt}: ${JSON.stringify(decision)}`);
    }
  });

  it('with ERB settings copied (countdown 30, 3 retries), a statement failing for 10 minutes is not given up', () => {
    assert.equal(failUntilGiveUp({ EVENT_ROUTING_BACKEND_COUNTDOWN: '30', EVENT_ROUTING_BACKEND_MAX_RETRIES: '3' }, 10 * MINUTE), null);
    // Even at countdown 1 (which gave up after 4 tries in seconds before), no count of retries gives up.
    assert.equal(failUntilGiveUp({ EVENT_ROUTING_BACKEND_COUNTDOWN: '1' }, 10 * MINUTE), null);
  });

  it('gives up on a non-critical statement after the 24 h budget, and never on a business-critical one', () => {
    const gaveUp = failUntilGiveUp({}, 25 * HOUR);
    assert.ok(gaveUp !== null && gaveUp.elapsedMs >= 24 * HOUR && gaveUp.elapsedMs <= 24 * HOUR + 1, JSON.stringify(gaveUp));
    assert.equal(failUntilGiveUp({}, 48 * HOUR, true), null);
  });

  it('never gives up sooner than ERB would have: the budget is at least retries × countdown', () => {
    const gaveUp = failUntilGiveUp(
      { EVENT_ROUTER_RETRY_MAX_AGE: '60', EVENT_ROUTING_BACKEND_COUNTDOWN: '30', EVENT_ROUTING_BACKEND_MAX_RETRIES: '10' },
      2 * HOUR,
    );
    assert.ok(gaveUp !== null && gaveUp.elapsedMs >= 300_000 && gaveUp.elapsedMs <= 300_001, JSON.stringify(gaveUp));
  });

  it('keeps rate-limit waits out of the budget', () => {
    const policy = retryPolicyFrom(settings());
    const limited: RetryableOutcome = { status: 'retryable', error: 'HTTP 429', retryAfterMs: 1000, response: { statusCode: 429 } };
    assert.deepEqual(policy(500, limited, 100 * HOUR), { retryInMs: 1000 });
  });
});
