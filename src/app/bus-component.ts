import type { Logger } from 'pino';
import { parseBusUrl } from '../sources/event-bus/bus-url.js';
import type { BusConsumer } from '../sources/event-bus/bus-consumer.js';
import { createBusConsumer, describeBusSpec } from '../sources/event-bus/create-bus-consumer.js';
import { safely, type BusObserver } from '../sources/event-bus/observer.js';
import type { DeadLetterHandler, DurableEventSink } from '../sources/event-bus/sink.js';

/** The event-bus consumer as the composition root runs it (`serve --bus`, `consume --bus`). */
export interface BusComponent {
  /** Where it reads from, without credentials. */
  readonly description: string;
  start(): Promise<void>;
  /** Reached the bus and joined its group. */
  ready(): boolean;
  stop(): Promise<void>;
}

export class BusUrlError extends Error {}

export function createBusComponent(
  url: string,
  deps: { sink: DurableEventSink; deadLetter: DeadLetterHandler; metrics: BusObserver; log: Logger },
): BusComponent {
  const parsed = parseBusUrl(url);
  if (!parsed.ok) throw new BusUrlError(parsed.message);
  const description = describeBusSpec(parsed.spec);
  let lastFailureLog = 0;
  const observer: BusObserver = {
    ...deps.metrics,
    failure(stage, error) {
      safely(() => deps.metrics.failure(stage, error));
      // A long outage fails on every retry: log at most every 10 s.
      const now = Date.now();
      if (now - lastFailureLog < 10_000) return;
      lastFailureLog = now;
      deps.log.warn({ stage, error: error instanceof Error ? error.message : String(error) }, 'bus consumer failure; retrying');
    },
  };
  const consumer: BusConsumer = createBusConsumer(parsed.spec, { sink: deps.sink, deadLetter: deps.deadLetter, observer });
  let ready = false;
  let stopped: Promise<void> | undefined;
  return {
    description,
    async start() {
      await consumer.start();
      void consumer.whenReady().then(() => {
        ready = !stopped;
        if (ready) deps.log.info({ bus: description }, 'bus consumer ready');
      });
    },
    ready: () => ready,
    stop() {
      stopped ??= (async () => {
        ready = false;
        await consumer.stop();
      })();
      return stopped;
    },
  };
}
