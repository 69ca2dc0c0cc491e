import type { Statement } from './statement.js';
import type { XapiRun } from './xapi-run.js';

/**
 * One event's xAPI transformer: pure, given the run (event view + injected context).
 * Returns ERB's form (e.g. `GroupActivity`); `valid-form.ts` fixes invalid forms afterwards
 * unless `--compat erb` is on. Throws `SkipEventError` when the event cannot yield a statement.
 */
export type XapiTransformer = (run: XapiRun) => Statement | Statement[];

/** A family's table of event names to transformers. */
export type XapiFamily = Readonly<Record<string, XapiTransformer>>;
