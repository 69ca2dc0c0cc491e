import { found, type CourseInfo, type CourseProvider } from '../providers.js';
import type { LmsApiOptions } from '../settings.js';
import { createOAuthTokenSource } from './oauth-token.js';

type CourseAnswer = { kind: 'found'; info: CourseInfo } | { kind: 'absent' } | { kind: 'failed'; reason: string };

/**
 * Course display names from the LMS REST API: GET <lms>/api/courses/v1/courses/<course_id>/ →
 * `name`, authenticated with a client-credentials JWT. 404 and 400 (no such course / invalid key)
 * mean unknown; any other failure means the LMS could not be asked.
 */
export function createLmsApiCourseProvider(options: LmsApiOptions & { now?: () => number }, name = 'lms-api'): CourseProvider {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const tokens = createOAuthTokenSource({ ...options, timeoutMs });

  const request = async (courseId: string): Promise<Response> =>
    fetch(`${options.baseUrl}/api/courses/v1/courses/${coursePath(courseId)}/`, {
      headers: { authorization: await tokens.authorization(), accept: 'application/json' },
      signal: AbortSignal.timeout(timeoutMs),
    });

  const fetchCourse = async (courseId: string): Promise<CourseAnswer> => {
    try {
      let response = await request(courseId);
      if (response.status === 401) {
        // An expired or revoked token: get a new one once.
        await response.body?.cancel();
        tokens.invalidate();
        response = await request(courseId);
      }
      if (response.status === 404 || response.status === 400) {
        await response.body?.cancel();
        return { kind: 'absent' };
      }
      if (!response.ok) {
        await response.body?.cancel();
        return { kind: 'failed', reason: `${name} unreachable: HTTP ${response.status} for course ${courseId}` };
      }
      const body = (await response.json()) as { id?: unknown; name?: unknown };
      // The LMS finds courses without regard to case; course keys are case-sensitive.
      if (typeof body.id === 'string' && body.id !== courseId) return { kind: 'absent' };
      return { kind: 'found', info: { displayName: typeof body.name === 'string' ? body.name : null } };
    } catch (error) {
      return { kind: 'failed', reason: unreachableReason(name, error) };
    }
  };

  return {
    name,
    async findCourses(courseIds) {
      const answers = new Map<string, CourseAnswer>();
      let next = 0;
      const worker = async (): Promise<void> => {
        while (next < courseIds.length) {
          const courseId = courseIds[next++] as string;
          answers.set(courseId, await fetchCourse(courseId));
        }
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, courseIds.length) }, worker));
      const failure = [...answers.values()].find((a): a is Extract<CourseAnswer, { kind: 'failed' }> => a.kind === 'failed');
      // One unreachable answer makes the whole batch retryable: the chain cannot tell which
      // courses a later provider might complete, and the LMS is most likely down for all.
      if (failure !== undefined) return { ok: false, reason: failure.reason };
      return found([...answers].flatMap(([id, a]): Array<[string, CourseInfo]> => (a.kind === 'found' ? [[id, a.info]] : [])));
    },
  };
}

/**
 * The course key as the LMS's URL pattern expects it: raw `:` `+` and `/` (old `Org/Num/Run`
 * keys), everything else percent-encoded.
 */
export function coursePath(courseId: string): string {
  return encodeURIComponent(courseId).replace(/%3A/gi, ':').replace(/%2B/gi, '+').replace(/%2F/gi, '/');
}

function unreachableReason(name: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // fetch() reports socket errors as "fetch failed" with the real error as its cause.
  const cause = error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : '';
  return `${name} unreachable: ${message}${cause}`;
}
