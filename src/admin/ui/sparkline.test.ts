import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sparkline, sparkPoints } from './sparkline.js';

describe('sparkline', () => {
  it('scales values between the bottom and the top of a 160 × 32 box', () => {
    assert.equal(sparkPoints([0, 5, 10], 10), '2,30 80,16 158,2');
    assert.equal(sparkPoints([0, 0], 0), '2,30 158,30', 'all zero: a line at the bottom');
    assert.equal(sparkPoints([], 3), '');
  });

  it('draws every line on one shared scale, labelled with the peak, escaping the label', () => {
    const svg = sparkline(
      [
        { className: 'spark-received', values: [0, 4] },
        { className: 'spark-failed', values: [2, 2] },
      ],
      'Last hour of <b>x</b>',
    ).value;
    assert.match(svg, /^<svg class="spark" viewBox="0 0 160 32"[^>]* role="img" aria-label="Last hour of &lt;b&gt;x&lt;\/b&gt;, peak 4">/);
    assert.match(svg, /<polyline class="spark-received" points="2,30 158,2"><\/polyline>/);
    assert.match(svg, /<polyline class="spark-failed" points="2,16 158,16"><\/polyline>/);
  });
});
