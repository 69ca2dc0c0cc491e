import { normalizeEvent } from '../../../src/core/event.js';
import { parseEventLine } from '../../../src/sources/tracking-log/line-parser.js';
import type { TransformContext } from '../../../src/transforms/shared/transform-settings.js';
import { transformEvent } from '../../../src/transforms/transform-event.js';
import { statementDigest } from '../scale-out/checking-lrs.js';
import { buildEvents } from '../service/events.js';

/**
 * Tracking-log lines as the LMS's `tracking` logger writes them (fixtures/erb/tracking.log): the
 * logging prefix, then the event with `event` as a JSON *string* and `time`. Shared by the
 * follower's acceptance test and the `follow` benchmark; nothing here imports node:test.
 */
export const LOG_PREFIX = '2023-05-23 13:53:13,461 INFO 20 [tracking] [user None] [ip None] logger.py:41 - ';

/** `count` distinct events (service/events.ts) in the log shape, one line each (without newline). */
export function trackingLogLines(count: number): string[] {
  return buildEvents(count).map((raw) => {
    const normalized = normalizeEvent(raw);
    if (!normalized.ok) throw new Error(`sample event is not an event: ${normalized.message}`);
    const { data, timestamp, ...rest } = normalized.event;
    return `${LOG_PREFIX}${JSON.stringify({ ...rest, event: JSON.stringify(data ?? {}), time: timestamp })}`;
  });
}

/** id → digest of every xAPI statement `transform` makes of the lines (parsed as the CLI parses them). */
export function expectedFromLines(lines: readonly string[], ctx: TransformContext): Map<string, string> {
  const expected = new Map<string, string>();
  for (const line of lines) {
    const parsed = parseEventLine(line);
    if (parsed.kind !== 'event') throw new Error(`not an event line: ${line.slice(0, 200)}`);
    const outcome = transformEvent('xapi', parsed.event, ctx);
    if (!outcome.ok) continue;
    // Round-tripped through JSON, as the statements travel.
    for (const statement of JSON.parse(JSON.stringify(outcome.statements)) as Array<Record<string, unknown>>) {
      expected.set(String(statement['id']), statementDigest(statement));
    }
  }
  return expected;
}
