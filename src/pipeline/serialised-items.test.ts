import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deserialiseItems, serialiseItems } from './serialised-items.js';

describe('outbox items between the threads', () => {
  it('serialises each statement once, keeps the item fields, and parses back only when read', () => {
    const statement = { id: 's1', verb: { id: 'v' } };
    const items = serialiseItems([
      { routerId: 'a', eventId: 's1', eventName: 'edx.x', businessCritical: true, payload: statement },
      { routerId: 'b', eventId: 's1', payload: statement },
    ]);
    assert.deepEqual(items, [
      { routerId: 'a', eventId: 's1', eventName: 'edx.x', businessCritical: true, payloadJson: JSON.stringify(statement) },
      { routerId: 'b', eventId: 's1', payloadJson: JSON.stringify(statement) },
    ]);
    const [back] = deserialiseItems(structuredClone(items));
    assert.equal(back?.payloadJson, JSON.stringify(statement));
    assert.deepEqual(back?.payload, statement);
    assert.equal(back?.payload, back?.payload, 'parsed once');
  });

  it('refuses a payload that is not JSON before anything crosses', () => {
    assert.throws(() => serialiseItems([{ routerId: 'a', eventId: 'x', payload: undefined }]), /not JSON-serialisable/);
    assert.throws(() => serialiseItems([{ routerId: 'a', eventId: 'x', payload: { big: 1n } }]), /BigInt/);
  });
});
