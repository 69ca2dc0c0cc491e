import { readFileSync } from 'node:fs';
import { parseEventLine } from '../src/sources/tracking-log/line-parser.js';
import { createStaticLookups, parseStaticLookups } from '../src/transforms/shared/static-lookups.js';
import { createTransformContext } from '../src/transforms/shared/transform-settings.js';
import { transformEvent } from '../src/transforms/transform-event.js';
import { packageVersion } from '../src/config/package-version.js';

/** The ids of the distinct xAPI statements the service will produce for these lines (its settings in end-to-end.ts). */
export function measureStatements(lines: readonly string[], lookupsFile: string): Set<string> {
  const lookups = createStaticLookups(parseStaticLookups(JSON.parse(readFileSync(lookupsFile, 'utf8'))));
  const ctx = createTransformContext({
    lmsUrl: 'http://localhost:18000',
    transformerVersion: `edx-event-router@${packageVersion()}`,
    ifiType: 'external_id',
    compat: 'valid',
    lookups,
  });
  const ids = new Set<string>();
  for (const line of lines) {
    const parsed = parseEventLine(line);
    if (parsed.kind !== 'event') continue;
    const outcome = transformEvent('xapi', parsed.event, ctx);
    if (outcome.ok) for (const statement of outcome.statements) ids.add(statement.id);
  }
  return ids;
}
