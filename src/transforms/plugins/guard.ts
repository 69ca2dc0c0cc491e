import { SKIP_REASONS, type SkipReason } from '../../core/drop-reason.js';
import { SkipEventError } from '../../core/errors.js';
import type { CaliperEvent } from '../caliper/caliper-event.js';
import { checkCaliperEvent } from '../caliper/structural-check.js';
import type { CaliperTransformer } from '../caliper/transformer.js';
import { toValidForm as caliperValidForm } from '../caliper/valid-form.js';
import { createXapiValidator, type XapiValidator } from '../xapi/schema-validator.js';
import type { Statement } from '../xapi/statement.js';
import type { XapiTransformer } from '../xapi/transformer.js';
import { toValidForm as xapiValidForm } from '../xapi/valid-form.js';

/** Told once per plugin and event name the first time that plugin fails on that name. */
export type PluginFailureReport = (plugin: string, event: string, message: string) => void;

/** Who wrote a transformer, for the messages of its failures. */
export interface PluginLabel {
  readonly plugin: string;
  readonly event: string;
}

const KNOWN_REASONS: ReadonlySet<string> = new Set(SKIP_REASONS);

/** Built on the first plugin statement: compiling the schema costs more than a process that never needs it should pay. */
let xapiValidator: XapiValidator | undefined;

/**
 * Holds a plugin's transformer to the built-ins' standards. A skip the plugin asks for with a known
 * reason stays that skip; anything else it throws, and any output that is not a valid statement in
 * the default mode, becomes a `plugin_error` skip, reported once per plugin and event name.
 */
export function guardXapi(label: PluginLabel, transformer: XapiTransformer, report: PluginFailureReport): XapiTransformer {
  const fail = failure(label, report);
  return (run) => {
    let produced: Statement | Statement[];
    try {
      produced = transformer(run);
    } catch (error) {
      throw fail.from(error);
    }
    const statements = Array.isArray(produced) ? produced : [produced];
    if (statements.length === 0) throw fail.with('returned no statement');
    for (const statement of statements) {
      if (typeof statement !== 'object' || statement === null || Array.isArray(statement)) throw fail.with('returned something that is not a statement');
    }
    if (run.ctx.compat === 'erb') return statements;
    // The caller applies the valid form to what is returned; it is checked here on a copy.
    let valid: Statement[];
    try {
      valid = xapiValidForm(copyOf(statements));
    } catch (error) {
      throw fail.from(error);
    }
    xapiValidator ??= createXapiValidator();
    for (const statement of valid) {
      const problems = xapiValidator.check(statement);
      if (problems.length > 0) throw fail.with(`invalid xAPI statement: ${problems.slice(0, 3).join('; ')}`);
    }
    return statements;
  };
}

/** The same for a Caliper transformer, checked with the Caliper 1.2 structural checks. */
export function guardCaliper(label: PluginLabel, transformer: CaliperTransformer, report: PluginFailureReport): CaliperTransformer {
  const fail = failure(label, report);
  return (run) => {
    let produced: CaliperEvent;
    try {
      produced = transformer(run);
    } catch (error) {
      throw fail.from(error);
    }
    if (typeof produced !== 'object' || produced === null || Array.isArray(produced)) throw fail.with('returned something that is not a Caliper event');
    if (run.ctx.compat === 'erb') return produced;
    let valid: CaliperEvent;
    try {
      valid = caliperValidForm(copyOf(produced));
    } catch (error) {
      throw fail.from(error);
    }
    const problems = checkCaliperEvent(valid);
    if (problems.length > 0) throw fail.with(`invalid Caliper event: ${problems.slice(0, 3).join('; ')}`);
    return produced;
  };
}

/** A JSON copy (what is delivered is JSON); output that JSON cannot render throws here. */
function copyOf<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/**
 * A SkipEventError, recognised by its shape: a plugin may import the API from another copy of this
 * package (its own dependency, another build folder) whose class is not this one.
 */
function isSkip(error: unknown): error is { reason: unknown; message: unknown } {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'SkipEventError' && 'reason' in error;
}

function failure(label: PluginLabel, report: PluginFailureReport) {
  let reported = false;
  const withMessage = (message: string): SkipEventError => {
    if (!reported) {
      reported = true;
      report(label.plugin, label.event, message);
    }
    return new SkipEventError('plugin_error', `plugin "${label.plugin}", event "${label.event}": ${message}`);
  };
  return {
    with: withMessage,
    from(error: unknown): SkipEventError {
      if (isSkip(error)) {
        if (typeof error.reason === 'string' && KNOWN_REASONS.has(error.reason) && error.reason !== 'plugin_error')
          return new SkipEventError(error.reason as SkipReason, String(error.message));
        return withMessage(`skip with unknown reason "${String(error.reason)}"`);
      }
      return withMessage(error instanceof Error ? error.message : String(error));
    },
  };
}
