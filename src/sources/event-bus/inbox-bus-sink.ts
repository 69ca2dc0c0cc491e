import type { Logger } from 'pino';
import type { IngestMetrics } from '../ingest-metrics.js';
import type { BusDeadLetterStore } from '../../queue/bus-dead-letters/port.js';
import type { EventInbox } from '../../queue/inbox/port.js';
import type { DeadLetterHandler, DurableEventSink } from './sink.js';

/** The inbox full: the consumer leaves the messages unacknowledged and tries again after a backoff. */
export class InboxFullError extends Error {}

/**
 * The bus consumers' durable sink: events go into the same inbox as HTTP ingest (so the same
 * pipeline handles them), and `accept` resolves only after the commit, so the consumer
 * acknowledges upstream only what is stored. A redelivered message still waiting in the inbox
 * (same `sourceId`) is not stored twice. Poison messages go to their own store.
 */
export function createInboxBusSink(deps: {
  inbox: EventInbox;
  deadLetters: BusDeadLetterStore;
  metrics: IngestMetrics;
  onAccepted: (count: number) => void;
  log: Logger;
}): { sink: DurableEventSink; deadLetter: DeadLetterHandler } {
  return {
    sink: {
      async accept(events) {
        if (events.length === 0) return;
        const outcome = await deps.inbox.append(events.map((e) => ({ body: JSON.stringify(e.event), sourceId: e.sourceId })));
        if (!outcome.ok) {
          deps.metrics.rejected('queue_overflow', events.length);
          throw new InboxFullError(`inbox full (${outcome.depth} of ${outcome.maxDepth} events)`);
        }
        deps.metrics.received('bus', outcome.added);
        if (outcome.added > 0) deps.onAccepted(outcome.added);
      },
    },
    async deadLetter(entry) {
      await deps.deadLetters.add({
        sourceId: entry.sourceId,
        reason: entry.reason,
        message: entry.message,
        fields: entry.fields,
        bytes: entry.bytes,
      });
      deps.log.warn({ sourceId: entry.sourceId, reason: entry.reason, message: entry.message }, 'bus message dead-lettered');
    },
  };
}
