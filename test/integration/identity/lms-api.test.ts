import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { coursePath, createLmsApiCourseProvider } from '../../../src/identity/lms-api/course-provider.js';
import type { CourseProvider } from '../../../src/identity/providers.js';
import { startFakeLms, type FakeLms } from '../../fakes/fake-lms.js';

const DEMO = 'course-v1:edX+DemoX+Demo_Course';

describe('LMS REST API course names (fake LMS over real HTTP)', () => {
  let lms: FakeLms;
  let provider: CourseProvider;
  let clock = 1_000_000;

  before(async () => {
    lms = await startFakeLms({
      courses: { [DEMO]: 'Demonstration Course', 'course-v1:edX+Null+2024': null, 'edX/Old/2013': 'Old Style' },
      tokenTtlS: 600,
    });
    provider = createLmsApiCourseProvider({
      baseUrl: lms.url,
      clientId: lms.clientId,
      clientSecret: lms.clientSecret,
      timeoutMs: 10_000,
      concurrency: 2,
      now: () => clock,
    });
  });

  after(() => lms.close());

  it('gets a JWT with client credentials, then reads "name" of each course', async () => {
    const answer = await provider.findCourses([DEMO, 'course-v1:edX+Null+2024', 'edX/Old/2013', 'course-v1:No+Such+Course']);
    assert.ok(answer.ok, answer.ok ? '' : answer.reason);
    assert.deepEqual(Object.fromEntries(answer.found), {
      [DEMO]: { displayName: 'Demonstration Course' },
      'course-v1:edX+Null+2024': { displayName: null },
      'edX/Old/2013': { displayName: 'Old Style' },
    });
    const token = lms.requests.find((r) => r.path === '/oauth2/access_token');
    assert.ok(token);
    const form = new URLSearchParams(token.body);
    assert.equal(form.get('grant_type'), 'client_credentials');
    assert.equal(form.get('token_type'), 'jwt');
    assert.equal(form.get('client_id'), lms.clientId);
    assert.equal(lms.count('/oauth2/access_token'), 1, 'one token for the whole batch');
    const courseRequest = lms.requests.find((r) => r.path.startsWith('/api/courses/v1/courses/course-v1:edX+DemoX'));
    assert.match(courseRequest?.authorization ?? '', /^JWT fake\./);
  });

  it('keeps the course key raw in the path (":" "+" "/")', () => {
    assert.equal(coursePath(DEMO), DEMO);
    assert.equal(coursePath('edX/Old/2013'), 'edX/Old/2013');
    assert.equal(coursePath('course-v1:a b+c#d+e?f'), 'course-v1:a%20b+c%23d+e%3Ff');
  });

  it('course keys are case-sensitive: the LMS answering for another case is "unknown"', async () => {
    const answer = await provider.findCourses(['course-v1:EDX+DEMOX+DEMO_COURSE']);
    assert.ok(answer.ok);
    assert.equal(answer.found.size, 0);
  });

  it('reuses the token until it nears expiry, then gets a new one', async () => {
    const before = lms.count('/oauth2/access_token');
    await provider.findCourses([DEMO]);
    assert.equal(lms.count('/oauth2/access_token'), before);
    clock += 600_000;
    await provider.findCourses([DEMO]);
    assert.equal(lms.count('/oauth2/access_token'), before + 1);
  });

  it('a revoked token (401) is replaced once, transparently', async () => {
    lms.revokeTokens();
    const before = lms.count('/oauth2/access_token');
    const answer = await provider.findCourses([DEMO]);
    assert.ok(answer.ok);
    assert.equal(answer.found.get(DEMO)?.displayName, 'Demonstration Course');
    assert.equal(lms.count('/oauth2/access_token'), before + 1);
  });

  it('5xx, timeouts, refused connections and bad credentials are "unreachable", never "unknown"', async () => {
    lms.mode = 'error';
    let answer = await provider.findCourses([DEMO]);
    assert.equal(answer.ok, false);
    lms.mode = 'hang';
    const credentials = { baseUrl: lms.url, clientId: lms.clientId, clientSecret: lms.clientSecret };
    const impatient = createLmsApiCourseProvider({ ...credentials, timeoutMs: 300 });
    answer = await impatient.findCourses([DEMO]);
    assert.equal(answer.ok, false);
    assert.match(answer.ok ? '' : answer.reason, /^lms-api unreachable: .*(timeout|aborted)/i);
    lms.mode = 'up';
    const refused = createLmsApiCourseProvider({ ...credentials, baseUrl: `http://127.0.0.1:${await closedPort()}` });
    answer = await refused.findCourses([DEMO]);
    assert.match(answer.ok ? '' : answer.reason, /ECONNREFUSED/);
    const wrongSecret = createLmsApiCourseProvider({ ...credentials, clientSecret: 'nope' });
    answer = await wrongSecret.findCourses([DEMO]);
    assert.match(answer.ok ? '' : answer.reason, /HTTP 401/);
  });
});

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
