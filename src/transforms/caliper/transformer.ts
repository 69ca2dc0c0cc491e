import type { CaliperEvent } from './caliper-event.js';
import type { CaliperRun } from './caliper-run.js';

/**
 * One event's Caliper transformer: pure, given the run (event view + injected context).
 * Returns ERB's form (e.g. `Webpage`, an object without id); `valid-form.ts` fixes invalid forms
 * afterwards unless `compat: 'erb'`. Throws `SkipEventError` when the event cannot yield an event.
 */
export type CaliperTransformer = (run: CaliperRun) => CaliperEvent;

/** A family's table of event names to transformers. */
export type CaliperFamily = Readonly<Record<string, CaliperTransformer>>;
