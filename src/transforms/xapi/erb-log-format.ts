import { mergedCopy } from '../../core/merged-copy.js';
import { pythonJsonDumps } from '../shared/python-json.js';
import type { Statement } from './statement.js';

/**
 * A statement rendered as ERB writes it to its `xapi_tracking` log: Python `json.dumps` defaults
 * (", " / ": " separators, ASCII escapes) in tincan key order, with score values as floats
 * (tincan coerces them: `"raw": 2.0`). Used for `--compat erb` output.
 */
export function erbXapiLogLine(statement: Statement): string {
  const score = statement.result?.score;
  if (score === undefined) return pythonJsonDumps(statement);
  const floatScore: Record<string, PythonFloat> = {};
  for (const [key, value] of Object.entries(score)) {
    if (typeof value === 'number') floatScore[key] = new PythonFloat(value);
  }
  const result = mergedCopy<Record<string, unknown>>(statement.result ?? {}, undefined);
  result['score'] = floatScore;
  const rendered = mergedCopy<Record<string, unknown>>(statement, undefined);
  rendered['result'] = result;
  return pythonJsonDumps(rendered);
}

/** A number that Python holds as a float, so it always prints with a fraction (`1.0`). */
export class PythonFloat {
  constructor(readonly value: number) {}
  toPythonJson(): string {
    if (!Number.isFinite(this.value)) return String(this.value);
    return Number.isInteger(this.value) ? this.value.toFixed(1) : String(this.value);
  }
}
