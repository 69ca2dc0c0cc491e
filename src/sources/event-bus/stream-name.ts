import { ANALYTICS_TOPIC } from './tracking-log-schema.js';

/**
 * edx-event-bus-redis/kafka `get_full_topic`: `<prefix>-<topic>` when the prefix
 * (EVENT_BUS_TOPIC_PREFIX) is set, else the bare topic. Tutor's default prefix is `dev`.
 */
export function fullTopic(prefix: string | undefined, topic: string = ANALYTICS_TOPIC): string {
  return prefix ? `${prefix}-${topic}` : topic;
}
