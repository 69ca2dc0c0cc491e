import type { DeliveryEvent, DeliveryObserver } from '../../src/delivery/observer.js';

/** Keeps every delivery event and sums the counters tests assert on. */
export interface RecordingObserver extends DeliveryObserver {
  readonly events: DeliveryEvent[];
  readonly delivered: number;
  readonly retried: number;
  readonly deadLettered: number;
  readonly requests: number;
  readonly errors: string[];
  of<T extends DeliveryEvent['type']>(type: T): Extract<DeliveryEvent, { type: T }>[];
}

export function createRecordingObserver(): RecordingObserver {
  const events: DeliveryEvent[] = [];
  const sum = (type: 'delivered' | 'retried' | 'dead_lettered'): number => events.reduce((n, e) => (e.type === type ? n + e.count : n), 0);
  const of = <T extends DeliveryEvent['type']>(type: T) => events.filter((e): e is Extract<DeliveryEvent, { type: T }> => e.type === type);
  return {
    events,
    record: (event) => void events.push(event),
    get delivered() {
      return sum('delivered');
    },
    get retried() {
      return sum('retried');
    },
    get deadLettered() {
      return sum('dead_lettered');
    },
    get requests() {
      return of('request').length;
    },
    get errors() {
      return of('worker_error').map((e) => e.error);
    },
    of,
  };
}
