import type { NoteKind } from '../../core/drop-reason.js';
import type { JsonValue } from '../../core/event.js';
import { isJsonObject } from '../../core/event.js';
import { SkipEventError } from '../../core/errors.js';
import { objectIri } from '../shared/block-ids.js';
import { cloneJson, setMember } from '../shared/json-copy.js';
import { asText, type EventView } from '../shared/event-view.js';
import { utcMicrosIso, utcRenderingsOf, type UtcRenderings } from '../shared/timestamps.js';
import type { RunContext } from '../shared/run-context.js';
import { eventUser } from '../shared/user.js';
import type { CaliperEntity, CaliperEvent } from './caliper-event.js';
import { caliperEventId } from './event-id.js';
import { CALIPER_CONTEXT, ENTITY_TYPE } from './vocabulary.js';

/** What a family transformer supplies; the run adds @context, id, eventTime, actor, session. */
export interface CaliperParts {
  type: string;
  action: string;
  /** May hold undefined/null/empty members: they are pruned as ERB's `del_none` does. */
  object: Record<string, unknown>;
  /** Event extensions written after `transformerVersion`. */
  extensions?: Record<string, unknown>;
  generated?: Record<string, unknown>;
  target?: Record<string, unknown>;
}

interface Base {
  eventTime: string;
  instant: string;
  anonymousId: string;
  actor: CaliperEntity;
  sessionId: string | undefined;
  session: CaliperEntity | undefined;
}

/**
 * One event's Caliper transformation with ERB's base-transformer behaviour (§7.12): eventTime
 * (UTC, ms, `Z`), actor Person from the learner's Caliper anonymous id, session, transformer
 * version, the course as `isPartOf`, `del_none` pruning, and our deterministic id.
 * `base()` is evaluated before the family builds its object, so a missing timestamp or an
 * unknown user is reported first, as in ERB.
 */
export class CaliperRun {
  readonly notes: NoteKind[] = [];
  private cachedBase: Base | undefined;

  constructor(
    readonly view: EventView,
    readonly ctx: RunContext,
  ) {}

  get name(): string {
    return this.view.name;
  }

  get compat(): RunContext['compat'] {
    return this.ctx.compat;
  }

  /** `<LMS>/<type>/<id>`. */
  iri(type: string, id: string): string {
    return objectIri(this.ctx.lmsUrl, type, id);
  }

  base(): Base {
    if (this.cachedBase === undefined) this.cachedBase = this.buildBase();
    return this.cachedBase;
  }

  private buildBase(): Base {
    const time = this.timestamp();
    const anonymousId = this.lookupAnonymousId();
    const sessionId = asText(this.view.get('session'));
    return {
      eventTime: time.millis,
      instant: time.micros,
      anonymousId,
      actor: { id: this.iri('user', anonymousId), type: ENTITY_TYPE.person },
      sessionId,
      session: sessionId === undefined ? undefined : { id: this.iri('sessions', sessionId), type: ENTITY_TYPE.session },
    };
  }

  private timestamp(): UtcRenderings {
    const value = this.view.require('timestamp');
    const rendered = typeof value === 'string' ? utcRenderingsOf(value) : undefined;
    if (rendered === undefined) {
      throw new SkipEventError('invalid_value', `timestamp ${JSON.stringify(value)} of event "${this.name}" is not a date-time`);
    }
    return rendered;
  }

  private lookupAnonymousId(): string {
    const user = eventUser(this.view);
    if (user === undefined) throw new SkipEventError('unknown_user', `event "${this.name}" names no user`);
    const anonymousId = this.ctx.lookups.anonymousId(user, 'caliper');
    if (anonymousId === undefined || anonymousId === '') {
      throw new SkipEventError('unknown_user', `user "${user}" of event "${this.name}" is unknown`);
    }
    return anonymousId;
  }

  /** The learner's Caliper anonymous id (ERB `get_anonymous_user_id(…, 'CALIPER')`). */
  anonymousId(): string {
    return this.base().anonymousId;
  }

  /** `context.course_id` of the event, if any. */
  courseId(): string | undefined {
    return this.view.string('context.course_id');
  }

  /** The course as a CourseOffering reference, when the event has a course. */
  isPartOf(): CaliperEntity | undefined {
    const courseId = this.courseId();
    return courseId === undefined ? undefined : { id: this.iri('course', courseId), type: ENTITY_TYPE.courseOffering };
  }

  /** A course's display name; unknown courses use the id and are noted (ERB drops them). */
  courseName(courseId: string): string {
    const name = this.ctx.lookups.courseName(courseId);
    if (name !== undefined) return name;
    if (!this.notes.includes('unknown_course')) this.notes.push('unknown_course');
    return courseId;
  }

  /** Assemble the event in ERB's key order, prune empty members, then compute the id. */
  event(parts: CaliperParts): CaliperEvent {
    const base = this.base();
    // A pruned copy, so that pruning never reaches into values taken from the input event.
    // `@context` (a constant, never pruned) is put back in front, then the id, as in ERB.
    const draft = prunedCopy({
      eventTime: base.eventTime,
      actor: base.actor,
      session: base.session,
      type: parts.type,
      object: parts.object,
      action: parts.action,
      extensions: { transformerVersion: this.ctx.transformerVersion, ...parts.extensions },
      generated: parts.generated,
      target: parts.target,
    });
    // The id is made of the source event, not of this output: see event-id.ts.
    const id = caliperEventId(
      {
        eventName: this.name,
        actorId: base.actor.id as string,
        instant: base.instant,
        data: this.view.event['data'] ?? null,
        courseId: asText(this.view.get('context.course_id')),
        sessionId: base.sessionId,
        referer: asText(this.view.get('context.referer')),
      },
      this.ctx.caches.caliperIdWriter,
    );
    return { '@context': CALIPER_CONTEXT, id, ...draft } as CaliperEvent;
  }
}

/**
 * A copy of `source` pruned as ERB's `del_none` prunes: members that are undefined, null, "",
 * [] or {} are left out (0 and false stay); objects are entered, each tested before it is
 * entered, so an object emptied by the pruning stays (ERB's seek event can carry
 * `target.extensions: {}`). Arrays are copied but not entered. A member present with an
 * undefined value stands for a key ERB sets to None: it counts when its object is tested for
 * emptiness. Builders leave out the keys ERB does not set at all.
 */
export function prunedCopy(source: Record<string, unknown>): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(source)) {
    const value = source[key];
    if (isPythonEmpty(value)) continue;
    setMember(copy, key, isPlainObject(value) ? prunedCopy(value) : cloneJson(value));
  }
  return copy;
}

function isPythonEmpty(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (typeof value === 'string') return value.length === 0;
  if (Array.isArray(value)) return value.length === 0;
  if (isPlainObject(value)) return Object.keys(value).length === 0;
  return false;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The UTC instant with microseconds (`…T06:36:01.917775Z`), the timestamp form hashed into ids. */
export { utcMicrosIso };

/** Python's `str()` of a JSON value, as ERB formats values into ids (`None`, `True`, `10`). */
export function pythonStr(value: JsonValue | undefined): string {
  if (value === undefined) return '';
  if (value === null) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return JSON.stringify(value);
}

/** The event's `data` when it is an object (ERB's `event_data` dict), else undefined. */
export function dataObject(view: EventView): Record<string, JsonValue> | undefined {
  const data = view.get('data');
  return isJsonObject(data) ? data : undefined;
}
