import { Utf8Writer } from './shared/utf8-writer.js';
import { StatementIds } from './xapi/statement-ids.js';

/**
 * Everything the transformers remember or write into between events: made with a transform
 * context (per pipeline, per replay, per CLI run), never at module level, so a transformer's
 * output is a function of the event and its context alone. Each cache states beside it what its
 * key must hold for a remembered value to be right; test/golden/warm-caches.golden.test.ts checks
 * that a context that has seen every fixture gives what a new one gives.
 *
 * Not for plugins: the run objects (XapiRun, CaliperRun) use it on their behalf.
 */
export class TransformCaches {
  /** xAPI statement ids: verb namespaces, child namespaces, actor bytes, SHA-1 scratch space. */
  readonly statementIds = new StatementIds();
  /** Scratch space of Caliper event ids; holds nothing from one id to the next. */
  readonly caliperIdWriter = new Utf8Writer();
}
