import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkCaliperEnvelope, checkCaliperEvent, isCaliperDateTime, isIsoDuration } from './structural-check.js';

function valid(): Record<string, unknown> {
  return {
    '@context': 'http://purl.imsglobal.org/ctx/caliper/v1p2',
    id: 'urn:uuid:4c53b337-b72f-4a36-b0ea-17fb335e18ab',
    eventTime: '2020-07-15T06:52:55.057Z',
    actor: { id: 'http://lms/user/1', type: 'Person' },
    type: 'MediaEvent',
    object: { id: 'http://lms/xblock/v', type: 'VideoObject', duration: 'PT3M15S' },
    action: 'Paused',
    target: { id: '_:MediaLocation', type: 'MediaLocation', currentTime: 'PT0.032788S' },
    extensions: { anything: { type: 'NotChecked' } },
  };
}

function problemsWith(change: (event: Record<string, unknown>) => void): string[] {
  const event = valid();
  change(event);
  return checkCaliperEvent(event);
}

describe('checkCaliperEvent', () => {
  it('passes a well-formed event, with entities given as IRIs too', () => {
    assert.deepEqual(checkCaliperEvent(valid()), []);
    assert.deepEqual(
      problemsWith((e) => ((e['actor'] = 'http://lms/user/1'), (e['object'] = 'urn:x:y'))),
      [],
    );
  });

  it('requires @context, id, type, actor, action, object and eventTime', () => {
    for (const key of ['@context', 'id', 'type', 'actor', 'action', 'object', 'eventTime']) {
      const problems = problemsWith((e) => delete e[key]);
      assert.ok(problems.includes(`/${key} is required`), `${key}: ${problems.join('; ')}`);
    }
    assert.deepEqual(checkCaliperEvent([]), ['/ the event must be a JSON object']);
  });

  it('wants a UUID URN id and the 1.2 context', () => {
    assert.equal(problemsWith((e) => (e['id'] = '4c53b337-b72f-4a36-b0ea-17fb335e18ab')).length, 1);
    assert.equal(problemsWith((e) => (e['id'] = 'urn:uuid:not-a-uuid')).length, 1);
    assert.equal(problemsWith((e) => (e['@context'] = 'http://purl.imsglobal.org/ctx/caliper/v1p1')).length, 1);
    assert.deepEqual(
      problemsWith((e) => (e['@context'] = ['http://purl.imsglobal.org/ctx/caliper/v1p2', { x: 'y' }])),
      [],
    );
  });

  it('checks the action against the event type', () => {
    assert.match(problemsWith((e) => (e['action'] = 'NavigatedTo')).join(), /not allowed for MediaEvent/);
    assert.match(problemsWith((e) => (e['action'] = 'Danced')).join(), /not a Caliper 1.2 action/);
    assert.match(problemsWith((e) => (e['type'] = 'VideoEvent')).join(), /not a Caliper 1.2 event term/);
    const generic = (action: string): string[] => problemsWith((e) => ((e['type'] = 'Event'), (e['action'] = action)));
    assert.deepEqual(generic('Activated'), []);
    assert.deepEqual(generic('Viewed'), []);
    assert.equal(generic('Danced').length, 1);
    const pairs: Array<[string, string, boolean]> = [
      ['NavigationEvent', 'NavigatedTo', true],
      ['NavigationEvent', 'Viewed', false],
      ['AssessmentEvent', 'Submitted', true],
      ['AssessmentEvent', 'Completed', false],
      ['AssessmentItemEvent', 'Completed', true],
      ['AssessmentItemEvent', 'Submitted', false],
      ['GradeEvent', 'Graded', true],
      ['GradeEvent', 'Submitted', false],
      ['ViewEvent', 'Viewed', true],
      ['MediaEvent', 'ChangedSpeed', true],
      ['MediaEvent', 'Viewed', false],
      ['MediaEvent', 'EnabledClosedCaptioning', true],
      ['MediaEvent', 'DisabledClosedCaptioning', true],
    ];
    for (const [type, action, ok] of pairs) {
      const problems = problemsWith((e) => ((e['type'] = type), (e['action'] = action)));
      assert.equal(problems.length === 0, ok, `${type}/${action}: ${problems.join('; ')}`);
    }
  });

  it('checks entities: ids, known terms, Agent actors, durations, nested entities', () => {
    assert.match(problemsWith((e) => ((e['object'] as Record<string, unknown>)['type'] = 'Webpage')).join(), /Webpage/);
    assert.deepEqual(
      problemsWith((e) => ((e['object'] as Record<string, unknown>)['type'] = 'WebPage')),
      [],
    );
    assert.match(problemsWith((e) => delete (e['object'] as Record<string, unknown>)['id']).join(), /object\/id is required/);
    assert.match(problemsWith((e) => ((e['object'] as Record<string, unknown>)['id'] = 'no scheme')).join(), /IRI/);
    assert.match(problemsWith((e) => (e['actor'] = { id: 'http://x/1', type: 'VideoObject' })).join(), /not an Agent/);
    assert.match(problemsWith((e) => ((e['target'] as Record<string, unknown>)['currentTime'] = 12)).join(), /duration/);
    assert.match(problemsWith((e) => ((e['object'] as Record<string, unknown>)['duration'] = '-PT1S')).join(), /duration/);
    assert.match(problemsWith((e) => (e['generated'] = { score: { id: '_:score', type: 'Score' } })).join(), /generated\/id is required/);
    assert.match(
      problemsWith((e) => ((e['object'] as Record<string, unknown>)['isPartOf'] = { id: 'http://x', type: 'Course' })).join(),
      /isPartOf\/type "Course"/,
    );
    assert.match(problemsWith((e) => ((e['object'] as Record<string, unknown>)['dateCreated'] = '2020-01-01')).join(), /date-time/);
  });

  it('wants Score numbers as numbers', () => {
    const score = (scoreGiven: unknown) => (e: Record<string, unknown>) => (e['generated'] = { id: '_:score', type: 'Score', maxScore: 4, scoreGiven });
    assert.deepEqual(problemsWith(score(2)), []);
    assert.match(problemsWith(score('2')).join(), /generated\/scoreGiven must be a number/);
  });

  it('wants eventTime in UTC with milliseconds, and custom properties in extensions', () => {
    assert.equal(problemsWith((e) => (e['eventTime'] = '2020-07-15T06:52:55Z')).length, 1);
    assert.equal(problemsWith((e) => (e['eventTime'] = '2020-07-15T06:52:55.057+00:00')).length, 1);
    assert.match(problemsWith((e) => (e['mode'] = 'audit')).join(), /extensions/);
    assert.match(problemsWith((e) => (e['extensions'] = 'x')).join(), /extensions must be an object/);
  });
});

describe('formats', () => {
  it('recognises ISO 8601 durations', () => {
    for (const ok of ['P0D', 'PT3M15S', 'PT0.032788S', 'PT3M14.381S', 'P1DT2H', 'P1W', 'P1Y2M3DT4H5M6S', 'P0.5D']) assert.ok(isIsoDuration(ok), ok);
    for (const bad of ['P', 'PT', '3M', 'PT1.S', '-PT1S', 'PT1H30', 'pt1s', 12]) assert.ok(!isIsoDuration(bad), String(bad));
  });

  it('recognises Caliper date-times', () => {
    assert.ok(isCaliperDateTime('2024-02-29T23:59:59.999Z'));
    for (const bad of ['2023-02-29T00:00:00.000Z', '2024-01-01T24:00:00.000Z', '2024-01-01T00:00:00.000', '2024-01-01']) {
      assert.ok(!isCaliperDateTime(bad), bad);
    }
  });
});

describe('checkCaliperEnvelope', () => {
  const envelope = (): Record<string, unknown> => ({
    sensor: 'http://localhost:18000',
    sendTime: '2024-03-01T10:20:30.123Z',
    data: [valid(), valid()],
    dataVersion: 'http://purl.imsglobal.org/ctx/caliper/v1p2',
  });

  it('passes a well-formed envelope and reports problems of its events by index', () => {
    assert.deepEqual(checkCaliperEnvelope(envelope()), []);
    const bad = envelope();
    delete (bad['data'] as Array<Record<string, unknown>>)[1]!['action'];
    assert.deepEqual(checkCaliperEnvelope(bad), ['/data/1/action is required']);
  });

  it('requires its four properties and permits no others', () => {
    for (const key of ['sensor', 'sendTime', 'dataVersion', 'data']) {
      const e = envelope();
      delete e[key];
      assert.equal(checkCaliperEnvelope(e).length, 1, key);
    }
    assert.match(checkCaliperEnvelope({ ...envelope(), sensor_id: 'x' }).join(), /sensor_id/);
    assert.deepEqual(checkCaliperEnvelope('x'), ['/ the envelope must be a JSON object']);
  });
});
