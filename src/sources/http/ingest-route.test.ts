import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { invalidEventsMessage } from './ingest-route.js';

describe('invalidEventsMessage', () => {
  it('speaks of the accepted inputs only when there are some', () => {
    assert.equal(invalidEventsMessage(1, 0), '1 of 1 inputs is not an event; nothing was accepted');
    assert.equal(invalidEventsMessage(2, 0), '2 of 2 inputs are not events; nothing was accepted');
    assert.equal(invalidEventsMessage(1, 1), '1 of 2 inputs is not an event; the other one was accepted');
    assert.equal(invalidEventsMessage(5, 2), '5 of 7 inputs are not events; the other 2 were accepted');
  });
});
