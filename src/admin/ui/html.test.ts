import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { html } from './html.js';

describe('html tag', () => {
  it('escapes interpolated text, in content and in quoted attributes', () => {
    const url = `https://x.example/?q="><script>alert('x')</script>&a=1`;
    assert.equal(
      html`<a href="${url}">${url}</a>`.value,
      '<a href="https://x.example/?q=&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;a=1">https://x.example/?q=&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;a=1</a>',
    );
  });

  it('nests fragments and lists without escaping them twice; skips null, undefined and false', () => {
    const items = ['<a>', 'b'].map((item) => html`<li>${item}</li>`);
    assert.equal(html`<ul>${items}</ul>${null}${undefined}${false}${0}`.value, '<ul><li>&lt;a&gt;</li><li>b</li></ul>0');
  });
});
