import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mergedCopy } from './merged-copy.js';

describe('mergedCopy', () => {
  it('is { ...first, ...second }: same members, same order, later values replace in place', () => {
    const first = { id: 'a', version: '1.0.3', actor: { name: 'x' } };
    const second = { version: '2', extra: true };
    const merged = mergedCopy<Record<string, unknown>>(first, second);
    assert.deepEqual(merged, { ...first, ...second });
    assert.deepEqual(Object.keys(merged), ['id', 'version', 'actor', 'extra']);
    assert.equal(merged['actor'], first.actor, 'shallow');
    assert.notEqual(merged, first);
    assert.deepEqual(first, { id: 'a', version: '1.0.3', actor: { name: 'x' } }, 'sources untouched');
  });

  it('copies without a second source', () => {
    assert.deepEqual(mergedCopy({ a: 1 }, undefined), { a: 1 });
  });

  it('keeps a member named __proto__ as a member, as a spread does', () => {
    const hostile = JSON.parse('{"__proto__": {"polluted": true}, "b": 2}') as object;
    const merged = mergedCopy<Record<string, unknown>>({ a: 1 }, hostile);
    assert.deepEqual(JSON.stringify(merged), JSON.stringify({ a: 1, ...hostile }));
    assert.equal(Object.getPrototypeOf(merged), Object.prototype);
    assert.equal((merged as { polluted?: unknown }).polluted, undefined);
  });
});
