import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { OpenEdxEvent } from '../../core/event.js';
import { SkipEventError } from '../../core/errors.js';
import { EventView } from './event-view.js';

const view = (event: object): EventView => new EventView(event as OpenEdxEvent);

describe('EventView.get (ERB get_data)', () => {
  const ev = view({
    name: 'x',
    session: null,
    context: { session: 'ctx-session', course_id: 'c', user_id: 0, empty: '' },
    data: { nested: { deep: 'found' }, list: [], flag: false, n: 0 },
  });

  it('follows dotted paths strictly', () => {
    assert.equal(ev.get('context.course_id'), 'c');
    assert.equal(ev.get('context.missing'), undefined);
    assert.equal(ev.get('data.nested.deep'), 'found');
    assert.equal(ev.get('data.list.0'), undefined);
  });

  it('searches plain keys depth-first, the top level winning even when null', () => {
    assert.equal(ev.get('session'), undefined);
    assert.equal(view({ name: 'x', context: { session: 's' } }).get('session'), 's');
    assert.equal(ev.get('deep'), 'found');
  });

  it('reads empty values as undefined but keeps 0 and false', () => {
    assert.equal(ev.get('context.empty'), undefined);
    assert.equal(ev.get('data.list'), undefined);
    assert.equal(ev.get('data.flag'), false);
    assert.equal(ev.get('data.n'), 0);
    assert.equal(ev.get('context.user_id'), 0);
  });

  it('never reads what a JSON object inherits, only its own members', () => {
    const own = view(JSON.parse('{"name": "x", "data": {"__proto__": {"deep": 1}, "constructor": "c"}}') as object);
    for (const key of ['toString', 'constructor', '__proto__', 'hasOwnProperty']) {
      assert.equal(ev.get(key), undefined, key);
      assert.equal(ev.get(`data.${key}`), undefined, key);
      assert.equal(ev.get(`context.${key}`), undefined, key);
    }
    assert.equal(own.get('data.constructor'), 'c');
    assert.deepEqual(own.get('data.__proto__'), { deep: 1 });
    assert.equal(own.get('data.__proto__.deep'), 1);
    assert.equal(own.get('data.toString'), undefined);
  });

  it('require() skips with missing_field', () => {
    assert.throws(
      () => ev.require('data.nope'),
      (error: unknown) => error instanceof SkipEventError && error.reason === 'missing_field',
    );
  });

  it('string() renders numbers as text', () => {
    assert.equal(view({ name: 'x', data: { id: 42 } }).string('data.id'), '42');
    assert.equal(view({ name: 'x', data: { id: { a: 1 } } }).string('data.id'), undefined);
  });
});
