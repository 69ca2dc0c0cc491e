import type { JsonValue } from '../../../core/event.js';
import { activity, languageMap, type Activity, type Context, type Statement } from '../statement.js';
import type { XapiFamily, XapiTransformer } from '../transformer.js';
import { ACTIVITY, EN, EXTENSION, type VerbName } from '../vocabulary.js';
import type { XapiRun } from '../xapi-run.js';

/**
 * xAPI transformers of the forum family (threads, responses and comments).
 * Every forum statement has a discussion activity built from the request path and the post id;
 * the events differ only in the verb and, for two of them, one context extension.
 */

/** Python's `rstrip('/')`: every trailing slash goes. */
function trimSlashes(text: string): string {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === SLASH) end--;
  return end === text.length ? text : text.slice(0, end);
}

const SLASH = 0x2f;

/**
 * ERB's object id: `<LMS><path without the post id>/<post id>`. Every occurrence of the id is
 * removed from the path, so `/threads/` (create) and `/threads/<id>/` (edit) give the same object.
 */
function forumObjectId(run: XapiRun): string {
  const postId = run.view.requireString('data.id');
  const path = run.view.requireString('context.path');
  const base = trimSlashes(trimSlashes(path).split(postId).join(''));
  return `${run.ctx.lmsUrl}${base}/${postId}`;
}

function forumObject(run: XapiRun): Activity {
  return activity(forumObjectId(run), {
    name: languageMap(EN, run.view.string('data.title')),
    type: ACTIVITY.discussion,
  });
}

/**
 * The default context plus, when the event names its thread (`data.discussion.id`), that thread
 * as `grouping`. ERB crashes on a thread id without a course (it sets grouping on a missing
 * contextActivities); we keep the statement and emit the grouping alone.
 */
function forumContext(run: XapiRun, typeValue: JsonValue | undefined): Context {
  const base = run.defaultContext(typeValue === undefined ? undefined : { [EXTENSION.mode]: typeValue });
  const threadId = run.view.string('data.discussion.id');
  if (threadId === undefined) return base;
  const grouping = [activity(`${run.ctx.lmsUrl}/api/discussion/v1/threads/${threadId}`, { type: ACTIVITY.discussion })];
  // Rebuilt so the keys stay in tincan order (contextActivities before extensions). The base
  // context is this statement's own, so its activities are extended rather than copied.
  const activities = base.contextActivities ?? {};
  activities.grouping = grouping;
  const context: Context = { contextActivities: activities };
  if (base.extensions !== undefined) context.extensions = base.extensions;
  return context;
}

/**
 * A forum transformer with the given verb. `typeKey` names the event field ERB puts in the
 * acrossx `type` context extension; ERB reads it with a plain (nested-search) key, so do we.
 */
function forumPost(verbName: VerbName, typeKey?: string): XapiTransformer {
  return (run: XapiRun): Statement => {
    // ERB resolves the actor before the object: an unknown user is the reason even if fields lack.
    run.actor();
    return run.statement({
      verb: run.verb(verbName),
      object: forumObject(run),
      context: forumContext(run, typeKey === undefined ? undefined : run.view.get(typeKey)),
    });
  };
}

/** The names ERB registers for the forum family. */
export const forumTransformers = {
  'edx.forum.thread.created': forumPost('posted', 'thread_type'),
  'edx.forum.response.created': forumPost('posted'),
  'edx.forum.comment.created': forumPost('posted'),
  'edx.forum.thread.edited': forumPost('edited'),
  'edx.forum.response.edited': forumPost('edited'),
  'edx.forum.comment.edited': forumPost('edited'),
  'edx.forum.thread.viewed': forumPost('viewed'),
  'edx.forum.thread.deleted': forumPost('deleted'),
  'edx.forum.response.deleted': forumPost('deleted'),
  'edx.forum.comment.deleted': forumPost('deleted'),
  'edx.forum.thread.voted': forumPost('voted', 'vote_value'),
  'edx.forum.response.voted': forumPost('voted', 'vote_value'),
  'edx.forum.thread.reported': forumPost('reported'),
  'edx.forum.response.reported': forumPost('reported'),
  'edx.forum.comment.reported': forumPost('reported'),
  'edx.forum.thread.unreported': forumPost('unreported'),
  'edx.forum.response.unreported': forumPost('unreported'),
  'edx.forum.comment.unreported': forumPost('unreported'),
} satisfies XapiFamily;
