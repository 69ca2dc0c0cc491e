import { createHash } from 'node:crypto';
import type { NoteKind } from '../../core/drop-reason.js';
import { SkipEventError } from '../../core/errors.js';
import { objectIri } from '../shared/block-ids.js';
import type { EventView } from '../shared/event-view.js';
import { pythonIsoformatOf } from '../shared/timestamps.js';
import type { RunContext } from '../shared/run-context.js';
import { eventUser } from '../shared/user.js';
import type { ActorIdBytes } from './actor-bytes.js';
import { putExtension, type Activity, type Agent, type Context, type Extensions, type Result, type Statement, type Verb } from './statement.js';
import { ACTIVITY, EN, EN_US, EXTENSION, VERB, XAPI_VERSION, type VerbName } from './vocabulary.js';

/** The parts a family transformer supplies; the run adds id, actor, timestamp and version. */
export interface StatementParts {
  verb: Verb;
  object: Activity;
  result?: Result;
  /** Defaults to `defaultContext()`. */
  context?: Context;
  /** Child statements of one-to-many events hash their child id into the statement id. */
  childId?: string;
}

/**
 * Everything one event's transformation needs, with ERB's base-transformer behaviour:
 * actor per IFI type, deterministic statement ids, timestamp rendering, course parent context.
 * One run per event; it records notes (e.g. unknown_course) for the caller to count.
 */
export class XapiRun {
  readonly notes: NoteKind[] = [];
  private cachedActor: Agent | undefined;
  private cachedActorBytes: ActorIdBytes | undefined;
  private cachedTimestamp: string | undefined;

  constructor(
    readonly view: EventView,
    readonly ctx: RunContext,
  ) {}

  /** `<LMS>/<type>/<id>`. */
  iri(type: string, id: string): string {
    return objectIri(this.ctx.lmsUrl, type, id);
  }

  /**
   * A usage key where ERB writes it bare as an activity id (special exams, problem completion):
   * bare in `--compat erb`; otherwise `<LMS>/xblock/<key>`, the form ERB gives every other block.
   * A bare `block-v1:` key has a hyphen in its scheme, which Learning Locker refuses (it takes a
   * scheme of word characters only), rejecting the whole batch with it.
   */
  bareBlockId(key: string): string {
    return this.ctx.compat === 'erb' ? key : this.iri('xblock', key);
  }

  /** A verb from the vocabulary with its `en` display word (ERB's display is the verb's name). */
  verb(name: VerbName): Verb {
    return { id: VERB[name], display: { [EN]: name } };
  }

  actor(): Agent {
    if (this.cachedActor === undefined) this.cachedActor = this.buildActor();
    return this.cachedActor;
  }

  private buildActor(): Agent {
    const user = eventUser(this.view);
    const { ifiType, lookups, lmsUrl } = this.ctx;
    if (ifiType === 'mbox' || ifiType === 'mbox_sha1sum') {
      // ERB sends unknown users as unknown@example.com rather than dropping them in these modes.
      const email = (user !== undefined ? lookups.email(user) : undefined) ?? 'unknown@example.com';
      if (ifiType === 'mbox') {
        return { objectType: 'Agent', mbox: email.startsWith('mailto:') ? email : `mailto:${email}` };
      }
      // ERB hashes the bare address (xAPI would hash the mailto: IRI); kept so ids stay stable.
      const bare = email.startsWith('mailto:') ? email.slice('mailto:'.length) : email;
      return { objectType: 'Agent', mbox_sha1sum: createHash('sha1').update(bare, 'utf8').digest('hex') };
    }
    if (user === undefined) {
      throw new SkipEventError('unknown_user', `event "${this.view.name}" names no user`);
    }
    const anonymousId = lookups.anonymousId(user, 'xapi');
    if (anonymousId === undefined) {
      throw new SkipEventError('unknown_user', `user "${user}" of event "${this.view.name}" is unknown`);
    }
    return { objectType: 'Agent', account: { name: anonymousId, homePage: lmsUrl } };
  }

  /** The timestamp text exactly as the event carries it: what ERB hashes into the id. */
  rawTimestamp(): string {
    const value = this.view.get('timestamp') ?? this.view.get('time');
    if (typeof value === 'string') return value;
    throw new SkipEventError('missing_field', `event "${this.view.name}" has no timestamp`);
  }

  /** The statement timestamp as ERB's xAPI library renders it (Python isoformat). */
  timestamp(): string {
    // Rendered once per event: one-to-many events stamp every statement with it.
    if (this.cachedTimestamp === undefined) {
      const raw = this.rawTimestamp();
      const rendered = pythonIsoformatOf(raw);
      if (rendered === undefined) {
        throw new SkipEventError('invalid_value', `timestamp "${raw}" of event "${this.view.name}" is not a date-time`);
      }
      this.cachedTimestamp = rendered;
    }
    return this.cachedTimestamp;
  }

  /** ERB's deterministic statement id (uuid5 of verb JSON, then actor JSON + timestamp text). */
  statementId(verb: Verb, childId?: string): string {
    const ids = this.ctx.caches.statementIds;
    this.cachedActorBytes ??= ids.actorBytes(this.actor());
    return ids.id(this.cachedActorBytes, verb, this.rawTimestamp(), childId);
  }

  /** A course's display name; unknown courses use the id and are noted (ERB drops them). */
  courseName(courseId: string): string {
    const name = this.ctx.lookups.courseName(courseId);
    if (name !== undefined) return name;
    if (!this.notes.includes('unknown_course')) this.notes.push('unknown_course');
    return courseId;
  }

  /** `context.course_id` of the event, if any. */
  courseId(): string | undefined {
    return this.view.string('context.course_id');
  }

  /** The course as a `contextActivities.parent` list, or undefined when the event has no course. */
  courseParent(): Activity[] | undefined {
    const courseId = this.courseId();
    if (courseId === undefined) return undefined;
    const course: Activity = {
      id: this.iri('course', courseId),
      objectType: 'Activity',
      definition: { name: { [EN_US]: this.courseName(courseId) }, type: ACTIVITY.course },
    };
    return [course];
  }

  /**
   * Transformer version and session id, then the given extras (which replace them in place
   * should they share a key); empty values are left out, as `extensions` does.
   */
  contextExtensions(extra?: Extensions): Extensions {
    const out: Extensions = {};
    putExtension(out, EXTENSION.transformerVersion, this.ctx.transformerVersion);
    putExtension(out, EXTENSION.sessionId, this.view.get('session'));
    if (extra !== undefined) {
      for (const key in extra) if (Object.hasOwn(extra, key)) putExtension(out, key, extra[key]);
    }
    return out;
  }

  /** ERB's default context: the course parent (when there is a course) and the base extensions. */
  defaultContext(extraExtensions?: Extensions): Context {
    const parent = this.courseParent();
    const context: Context = {};
    if (parent !== undefined) context.contextActivities = { parent };
    context.extensions = this.contextExtensions(extraExtensions);
    return context;
  }

  /** Assemble a whole statement, keys in tincan order. */
  statement(parts: StatementParts): Statement {
    // Whole object literals (one shape with a result, one without) rather than members added one
    // by one: built in one step, with every member inside the object.
    const id = this.statementId(parts.verb, parts.childId);
    const actor = this.actor();
    const timestamp = this.timestamp();
    const context = parts.context ?? this.defaultContext();
    const { verb, object, result } = parts;
    if (result === undefined) return { id, version: XAPI_VERSION, actor, verb, object, timestamp, context };
    return { id, result, version: XAPI_VERSION, actor, verb, object, timestamp, context };
  }
}
