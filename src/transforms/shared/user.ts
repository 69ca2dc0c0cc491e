import { asText, type EventView } from './event-view.js';

/**
 * The user an event is about (ERB `extract_username_or_userid`): `data.user_id`, then
 * `data.username`, then any `user_id`, then any `username`. The data fields come first so that an
 * instructor enrolling a learner yields the learner.
 */
export function eventUser(view: EventView): string | undefined {
  for (const key of ['data.user_id', 'data.username', 'user_id', 'username']) {
    const text = asText(view.get(key));
    if (text !== undefined && text !== '') return text;
  }
  return undefined;
}
