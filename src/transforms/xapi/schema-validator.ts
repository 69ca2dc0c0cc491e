import { createRequire } from 'node:module';
import AjvDraft04 from 'ajv-draft-04';
import type { ValidateFunction } from 'ajv';

/**
 * Validates statements against the xAPI 1.0.3 JSON schema (RusticiSoftware TinCanSchema, as npm
 * `tin-can-json-schema`), plus the score rule the schema does not check.
 */
export interface XapiValidator {
  /** Problems with one statement; empty when it is valid. */
  check(statement: unknown): string[];
}

const require = createRequire(import.meta.url);

export function createXapiValidator(): XapiValidator {
  const schema = require('tin-can-json-schema/1.0.1.json') as object;
  const formats = require('tin-can-json-schema/formats.json') as Record<string, string>;
  // The schema's patterns use escapes that are invalid under the `u` flag.
  const Ajv = AjvDraft04 as unknown as new (options: object) => {
    addFormat(name: string, format: RegExp): void;
    addSchema(schema: object, key: string): void;
    getSchema(key: string): ValidateFunction | undefined;
  };
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  for (const [name, pattern] of Object.entries(formats)) ajv.addFormat(name, new RegExp(pattern));
  ajv.addSchema(schema, 'xapi');
  const validate = ajv.getSchema('xapi#statement');
  if (validate === undefined) throw new Error('xAPI statement schema not found');
  return {
    check(statement: unknown): string[] {
      const problems: string[] = [];
      if (!validate(statement)) {
        for (const error of validate.errors ?? []) problems.push(`${error.instancePath || '/'} ${error.message ?? ''}`);
      }
      const score = (statement as { result?: { score?: { min?: number; max?: number; scaled?: number } } }).result?.score;
      if (score !== undefined) {
        // xAPI 1.0.3 Data §2.4.5.1.1: max > min, and scaled in [-1, 1].
        if (score.min !== undefined && score.max !== undefined && !(score.max > score.min)) {
          problems.push('/result/score max must be greater than min');
        }
        if (score.scaled !== undefined && (score.scaled < -1 || score.scaled > 1)) {
          problems.push('/result/score scaled must be between -1 and 1');
        }
      }
      return problems;
    },
  };
}
