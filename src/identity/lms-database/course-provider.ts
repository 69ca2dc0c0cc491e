import { found, unreachable, type CourseInfo, type CourseProvider } from '../providers.js';
import { placeholders, selectChunked, type LmsDatabase } from './lms-database.js';

/**
 * Course display names from `course_overviews_courseoverview` (edx-platform's CourseOverview).
 * MySQL compares the `id` without case; course keys are case-sensitive, so rows are matched again
 * here exactly.
 */
export function createLmsDatabaseCourseProvider(db: LmsDatabase, name = 'lms-database'): CourseProvider {
  return {
    name,
    async findCourses(courseIds) {
      try {
        const rows = await selectChunked(courseIds, (chunk) =>
          db.select(`SELECT id, display_name FROM course_overviews_courseoverview WHERE id IN (${placeholders(chunk.length)})`, chunk),
        );
        const wanted = new Set(courseIds);
        const entries: Array<[string, CourseInfo]> = [];
        for (const row of rows) {
          const id = row['id'];
          if (typeof id !== 'string' || !wanted.has(id)) continue;
          const displayName = row['display_name'];
          entries.push([id, { displayName: typeof displayName === 'string' ? displayName : null }]);
        }
        return found(entries);
      } catch (error) {
        return unreachable(name, error);
      }
    },
    close: () => db.close(),
  };
}
