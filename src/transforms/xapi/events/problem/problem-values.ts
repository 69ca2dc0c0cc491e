import type { JsonValue } from '../../../../core/event.js';
import { isJsonObject } from '../../../../core/event.js';
import { hasOwnMembers } from '../../../shared/event-view.js';
import { pythonJsonDumps } from '../../../shared/python-json.js';
import { pythonFloatRepr, pythonStr } from '../../../shared/python-repr.js';
import type { XapiRun } from '../../xapi-run.js';

/**
 * Value helpers of the problem family: Python truthiness and `or`, tolerant number reading for
 * grades, the object id every problem transformer starts from, and ERB's rendering of answers.
 */

/** Python truthiness of a JSON value (ERB's `if x:` / `x or y`). */
export function truthy(value: JsonValue | undefined): boolean {
  if (value === undefined || value === null || value === false || value === 0 || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (isJsonObject(value)) return hasOwnMembers(value);
  return true;
}

/** Python `a or b`. */
export function or(a: JsonValue | undefined, b: () => JsonValue | undefined): JsonValue | undefined {
  return truthy(a) ? a : b();
}

export { numberValue } from '../../../shared/grade-number.js';

/**
 * ERB's starting object id for problem events: with a `data` dict, `data.problem_id`, else the
 * required `data.module_id`; without one, any `usage_key`. Not yet an IRI.
 */
export function baseProblemId(run: XapiRun): string | undefined {
  const data = run.view.get('data');
  const id = isJsonObject(data) ? or(run.view.get('data.problem_id'), () => run.view.require('data.module_id')) : run.view.get('usage_key');
  return id === undefined || id === null ? undefined : pythonStr(id);
}

/**
 * An answer as ERB puts it in `result.response`: lists as JSON with non-ASCII kept
 * (`json.dumps(…, ensure_ascii=False)`), anything else through Python's `str()`, so a dict
 * becomes its repr. Absent stays absent.
 */
export function responseText(answer: JsonValue | undefined): string | undefined {
  if (answer === undefined || answer === null) return undefined;
  if (Array.isArray(answer)) return pythonJsonDumps(withPythonFloats(answer), { ensureAscii: false });
  return pythonStr(answer);
}

/** Non-integral numbers wrapped so that they print as Python floats do (`1e-05`, not `0.00001`). */
function withPythonFloats(value: JsonValue): unknown {
  if (typeof value === 'number') {
    return Number.isSafeInteger(value) ? value : { toPythonJson: () => pythonFloatRepr(value) };
  }
  if (Array.isArray(value)) return value.map(withPythonFloats);
  if (isJsonObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, withPythonFloats(item)]));
  }
  return value;
}
