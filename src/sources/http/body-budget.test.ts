import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createBodyBudget } from './body-budget.js';

describe('createBodyBudget', () => {
  it('counts bytes as they are taken, refuses beyond the limit, gives back on release (once)', () => {
    const budget = createBodyBudget({ limit: 100, maxBodyBytes: 40 });
    const a = budget.open();
    const b = budget.open();
    assert.equal(a.take(60), true);
    assert.equal(b.take(30), true);
    assert.equal(b.take(20), false, 'nothing taken when it does not fit');
    assert.equal(budget.used, 90);
    a.release();
    a.release();
    assert.equal(budget.used, 30);
    assert.equal(a.take(1), false, 'a released ticket takes nothing');
    assert.equal(budget.peak, 90);
  });

  it('says since when there is no room for a full-size body, and forgets it once there is', () => {
    let now = 1000;
    const budget = createBodyBudget({ limit: 100, maxBodyBytes: 40, now: () => now });
    const ticket = budget.open();
    ticket.take(60);
    assert.equal(budget.fullSince(), undefined, '40 bytes of room: a full body fits');
    ticket.take(1);
    assert.equal(budget.fullSince(), 1000);
    now = 5000;
    ticket.take(1);
    assert.equal(budget.fullSince(), 1000, 'still the moment it filled up');
    ticket.release();
    assert.equal(budget.fullSince(), undefined);
  });
});
