import { hostname } from 'node:os';
import { TRACKING_EVENT_TYPE } from './tracking-log-schema.js';
import { epochMicrosNow, pythonIsoformatUtc } from './tracking-log-event.js';
import { uuid1 } from './uuid1.js';

/**
 * openedx-events `EventsMetadata` as the producers send it (Redis entry fields, Kafka `ce_*`
 * headers). All values are the text the Python producers write.
 */
export interface EventsMetadata {
  type: string;
  /** `str(uuid1())`. */
  id: string;
  /** `openedx/<service>/web`. */
  source: string;
  /** `datetime.isoformat()` of the UTC emit time. */
  time: string;
  /** `"0"`. */
  minorversion: string;
  /** `socket.gethostname()`. */
  sourcehost: string;
  /** The openedx-events version, dotted. */
  sourcelib: string;
}

/** Producer identity written into every message; defaults mimic an LMS worker. */
export interface ProducerIdentity {
  /** Default `openedx/lms/web`. */
  source?: string;
  /** Default the host name. */
  sourcehost?: string;
  /** openedx-events version; default `DEFAULT_SOURCELIB`. */
  sourcelib?: string;
}

/** The openedx-events version edx-platform's producer writes today (`openedx_events.__version__`). */
export const DEFAULT_SOURCELIB = '11.2.0';

/** Metadata of one message sent at `nowMicros` (microseconds since the epoch, as Python's clock has). */
export function newEventsMetadata(identity: ProducerIdentity = {}, nowMicros: number = epochMicrosNow()): EventsMetadata {
  return {
    type: TRACKING_EVENT_TYPE,
    id: uuid1(Math.floor(nowMicros / 1000)),
    source: identity.source ?? 'openedx/lms/web',
    time: pythonIsoformatUtc(nowMicros),
    minorversion: '0',
    sourcehost: identity.sourcehost ?? hostname(),
    sourcelib: identity.sourcelib ?? DEFAULT_SOURCELIB,
  };
}
