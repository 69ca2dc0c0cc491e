import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { blockIdFromReferrer, blockVersion, problemBlockId, usageKey } from './block-ids.js';

describe('block ids', () => {
  it('derives the block version from the course key', () => {
    assert.equal(blockVersion('course-v1:edX+DemoX+Demo_Course'), 'block-v1');
    assert.equal(blockVersion('ccx-v1:edX+DemoX+Demo_Course+ccx@1'), 'ccx-block-v1');
  });

  it('builds usage keys', () => {
    assert.equal(usageKey('course-v1:edX+DemoX+Demo_Course', 'video', 'abc'), 'block-v1:edX+DemoX+Demo_Course+type@video+block@abc');
    assert.equal(usageKey('edX/DemoX/Demo_Course', 'video', 'abc'), undefined);
  });

  it('reads activate_block_id from a referer, decoded', () => {
    const referer =
      'http://localhost:18000/courses/course-v1:edX+DemoX+Demo_Course/courseware/a/b/?activate_block_id=block-v1%3AedX%2BDemoX%2BDemo_Course%2Btype%40sequential%2Bblock%40ef37';
    assert.equal(blockIdFromReferrer(referer), 'block-v1:edX+DemoX+Demo_Course+type@sequential+block@ef37');
    assert.equal(blockIdFromReferrer('http://x/y?activate_block_id='), undefined);
    assert.equal(blockIdFromReferrer('http://x/y'), undefined);
    assert.equal(blockIdFromReferrer(undefined), undefined);
  });

  it('falls back to the problem data string', () => {
    assert.equal(
      problemBlockId('http://x/y', 'input_3fc5461f86764ad7bdbdf6cbdde61e66_2_1=choice_0', 'course-v1:edX+DemoX+Demo_Course'),
      'block-v1:edX+DemoX+Demo_Course+type@problem+block@3fc5461f86764ad7bdbdf6cbdde61e66',
    );
    assert.equal(problemBlockId(undefined, 'nounderscore', 'course-v1:edX+DemoX+Demo_Course'), undefined);
  });
});
