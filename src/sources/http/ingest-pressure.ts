import type { BodyBudget } from './body-budget.js';

/**
 * What ingest knows about its own refusals, for readiness (app/readiness.ts): the body budget,
 * and the size of the last request the inbox was too full to take.
 */
export interface IngestPressure {
  readonly budget: BodyBudget;
  /** The inbox refused a request of `events` events (`queue_overflow`). */
  refused(events: number): void;
  /** Events of the last refused request, or 0 after an accepted one. */
  readonly lastRefusedEvents: number;
  /** A request was accepted: the inbox takes requests again. */
  accepted(): void;
}

export function createIngestPressure(budget: BodyBudget): IngestPressure {
  let lastRefusedEvents = 0;
  return {
    budget,
    refused(events) {
      lastRefusedEvents = events;
    },
    get lastRefusedEvents() {
      return lastRefusedEvents;
    },
    accepted() {
      lastRefusedEvents = 0;
    },
  };
}
