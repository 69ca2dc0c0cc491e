import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pythonJsonDumps } from './python-json.js';

// Expected value printed by CPython 3: json.dumps(value, ensure_ascii=False).
describe('pythonJsonDumps with ensureAscii: false', () => {
  it('keeps non-ASCII text and escapes only quotes, backslashes and control characters', () => {
    const value = ["Un emprunt à l'anglais", 'I"M', 'tab\t', '\u007f', '😀', 1.5, null, true, { k: 'é' }];
    assert.equal(pythonJsonDumps(value, { ensureAscii: false }), '["Un emprunt à l\'anglais", "I\\"M", "tab\\t", "\u007f", "😀", 1.5, null, true, {"k": "é"}]');
  });

  it('leaves the default (ensure_ascii=True) unchanged', () => {
    assert.equal(pythonJsonDumps(['é']), '["\\u00e9"]');
    assert.equal(pythonJsonDumps(['é'], {}), '["\\u00e9"]');
  });
});
