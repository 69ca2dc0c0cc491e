import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JsonPayload } from '../queue/json-payload.js';
import { deserialiseItems, serialiseItems } from './serialised-items.js';

describe('outbox items between the threads', () => {
  it('sends the payload text, keeps the item fields, and parses back only when read', () => {
    const statement = { id: 's1', verb: { id: 'v' } };
    const payload = JsonPayload.of(statement);
    const items = serialiseItems([
      { routerId: 'a', eventId: 's1', eventName: 'edx.x', businessCritical: true, payload },
      { routerId: 'b', eventId: 's1', payload },
    ]);
    assert.deepEqual(items, [
      { routerId: 'a', eventId: 's1', eventName: 'edx.x', businessCritical: true, payloadJson: JSON.stringify(statement) },
      { routerId: 'b', eventId: 's1', payloadJson: JSON.stringify(statement) },
    ]);
    const back = deserialiseItems(structuredClone(items));
    assert.deepEqual(
      back.map(({ payload: _, ...rest }) => rest),
      [
        { routerId: 'a', eventId: 's1', eventName: 'edx.x', businessCritical: true },
        { routerId: 'b', eventId: 's1' },
      ],
    );
    assert.equal(back[0]?.payload.text, JSON.stringify(statement));
    assert.deepEqual(back[0]?.payload.value(), statement);
  });
});
