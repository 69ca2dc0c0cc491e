import type { TransformCaches } from '../transform-caches.js';
import type { Lookups } from './lookups.js';

/** How the actor is identified in xAPI statements (ERB `XAPI_AGENT_IFI_TYPE`). */
export type IfiType = 'external_id' | 'mbox' | 'mbox_sha1sum';

/**
 * `valid` (default): always valid xAPI 1.0.3 / Caliper 1.2, fixing ERB's invalid forms.
 * `erb`: ERB's logged output exactly, invalid forms included, for side-by-side comparison.
 */
export type CompatMode = 'valid' | 'erb';

/** The settings a transformer's output depends on, besides the event itself. */
export interface RunSettings {
  /** LMS root URL without trailing slash, prefix of every IRI (ERB `LMS_ROOT_URL`). */
  readonly lmsUrl: string;
  /** Written to the transformer-version extension, e.g. `edx-event-router@0.1.0`. */
  readonly transformerVersion: string;
  readonly ifiType: IfiType;
  readonly compat: CompatMode;
  readonly lookups: Lookups;
}

/**
 * What a transformer's run (XapiRun, CaliperRun) may use besides the event: its settings and its
 * own caches. It names no transformers: they take runs, so a run's context that held them would
 * make the transformers, the runs and the context import one another in a loop.
 */
export interface RunContext extends RunSettings {
  readonly caches: TransformCaches;
}
