import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { erbFixturesDir } from '../../../test/support/paths.js';
import { NAMESPACE_DNS, uuid5 } from '../shared/uuid5.js';
import { parseTimestamp } from '../shared/timestamps.js';
import { utcMicrosIso } from './caliper-run.js';
import { Utf8Writer } from '../shared/utf8-writer.js';
import { CALIPER_ID_NAMESPACE, caliperEventId, canonicalJson, type EventIdParts } from './event-id.js';

const parts = (): EventIdParts => ({
  eventName: 'play_video',
  actorId: 'http://lms/user/a',
  instant: '2020-07-15T06:52:55.057099Z',
  data: { id: 'v', currentTime: 1.5 },
  courseId: 'course-v1:edX+DemoX+Demo_Course',
  sessionId: 'abc',
  referer: 'http://lms/courses/x',
});

const writer = new Utf8Writer();
const idOf = (p: EventIdParts): string => caliperEventId(p, writer);

describe('Caliper event ids', () => {
  it('follow the documented recipe', () => {
    assert.equal(CALIPER_ID_NAMESPACE, uuid5(NAMESPACE_DNS, 'caliper-event-id.edx-event-router'));
    const p = parts();
    const name = [p.eventName, p.actorId, p.instant, canonicalJson(p.data), p.courseId, p.sessionId, p.referer].join('\n');
    assert.equal(idOf(p), `urn:uuid:${uuid5(CALIPER_ID_NAMESPACE, name)}`);
    const bare = { ...p, courseId: undefined, sessionId: undefined, referer: undefined };
    const bareName = [p.eventName, p.actorId, p.instant, canonicalJson(p.data), '', '', ''].join('\n');
    assert.equal(idOf(bare), `urn:uuid:${uuid5(CALIPER_ID_NAMESPACE, bareName)}`);
  });

  it('owe nothing to the ids made before them in the same scratch space', () => {
    const p = parts();
    const fresh = caliperEventId(p, new Utf8Writer());
    const used = new Utf8Writer();
    caliperEventId({ ...p, data: { long: 'x'.repeat(10_000), text: 'é😀' } }, used);
    assert.equal(caliperEventId(p, used), fresh);
  });

  it('ignore key order, and change with every part', () => {
    const p = parts();
    const reordered = { ...p, data: { currentTime: 1.5, id: 'v' } };
    assert.equal(idOf(p), idOf(reordered));
    const variants: EventIdParts[] = [
      { ...p, eventName: 'edx.video.played' },
      { ...p, actorId: 'http://lms/user/b' },
      { ...p, instant: '2020-07-15T06:52:55.057100Z' },
      { ...p, data: { id: 'v', currentTime: 1.6 } },
      { ...p, courseId: 'course-v1:edX+DemoX+Other' },
      { ...p, sessionId: 'abd' },
      { ...p, referer: 'http://lms/courses/y' },
      { ...p, courseId: undefined },
    ];
    const ids = new Set([idOf(p), ...variants.map(idOf)]);
    assert.equal(ids.size, variants.length + 1);
  });

  it('hash the timestamp as one UTC instant whatever its spelling', () => {
    const spellings = ['2020-07-15T06:52:55.057099+00:00', '2020-07-15T06:52:55.057099Z', '2020-07-15 08:52:55.057099+02:00'];
    const instants = spellings.map((s) => utcMicrosIso(parseTimestamp(s)!));
    assert.deepEqual(new Set(instants), new Set(['2020-07-15T06:52:55.057099Z']));
    assert.equal(utcMicrosIso(parseTimestamp('2020-07-15T06:52:55Z')!), '2020-07-15T06:52:55.000000Z');
  });

  it('canonical JSON sorts keys at every level and keeps arrays in order', () => {
    assert.equal(canonicalJson({ b: [2, { d: 1, c: null }], a: 'é', u: undefined }), '{"a":"é","b":[2,{"c":null,"d":1}]}');
    assert.equal(canonicalJson(undefined), 'null');
  });

  it('canonical JSON equals JSON.stringify of key-sorted copies, for every fixture event', () => {
    // The recipe stated plainly: copy with keys sorted (default sort order), then JSON.stringify
    // (which holds for keys that are not array indices: objects list those first, by value).
    const sortedCopy = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(sortedCopy);
      if (typeof value !== 'object' || value === null) return value;
      const copy: Record<string, unknown> = {};
      for (const key of Object.keys(value).sort()) {
        Object.defineProperty(copy, key, { value: sortedCopy((value as Record<string, unknown>)[key]), enumerable: true });
      }
      return copy;
    };
    const dir = join(erbFixturesDir(), 'events');
    const files = readdirSync(dir);
    assert.ok(files.length > 50);
    for (const file of files) {
      const event = JSON.parse(readFileSync(join(dir, file), 'utf8')) as unknown;
      assert.equal(canonicalJson(event), JSON.stringify(sortedCopy(event)), file);
    }
    const messy = {
      é: 1,
      Z: [1.5, -0, 1e21, 'x\u0000"\\', null, { '😀': true, '\ud800': 'lone \udc00' }],
      '': 'empty',
      many: Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${(i * 7) % 40}`, i])),
    };
    assert.equal(canonicalJson(messy), JSON.stringify(sortedCopy(messy)));
    assert.equal(canonicalJson({ 9: 'index keys sort as text too', 10: 'ten' }), '{"10":"ten","9":"index keys sort as text too"}');
  });
});
