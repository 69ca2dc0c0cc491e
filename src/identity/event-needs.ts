import type { OpenEdxEvent } from '../core/event.js';
import { EventView } from '../transforms/shared/event-view.js';
import { eventUser } from '../transforms/shared/user.js';

/** The user and course an event's statements will look up. */
export interface EventNeeds {
  /** As the transformers name the user (`eventUser`): `data.user_id`, `data.username`, `user_id`, `username`. */
  readonly user?: string;
  /** `context.course_id`, the only course key the transformers name. */
  readonly courseId?: string;
}

export function eventNeeds(event: OpenEdxEvent): EventNeeds {
  const view = new EventView(event);
  const user = eventUser(view);
  const courseId = view.string('context.course_id');
  return {
    ...(user !== undefined ? { user } : {}),
    ...(courseId !== undefined && courseId !== '' ? { courseId } : {}),
  };
}
