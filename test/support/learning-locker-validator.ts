import { createRequire } from 'node:module';

/**
 * Learning Locker's own statement validator (npm `@learninglocker/xapi-validation`), stricter
 * than the xAPI JSON schema in places: an IRI must start with a scheme of word characters
 * (`^\w+:`), so `block-v1:…` passes the schema and is refused there, with the whole batch.
 * Default-mode statements must pass both.
 */
interface Warning {
  path?: string[];
  name?: string;
  typeName?: string;
  data?: unknown;
}

const require = createRequire(import.meta.url);
const validate = (require('@learninglocker/xapi-validation') as { default: (statement: unknown) => Warning[] }).default;

/** What Learning Locker would refuse in one statement; empty when it takes it. */
export function learningLockerProblems(statement: unknown): string[] {
  return validate(statement).map((warning) => {
    const what = warning.typeName !== undefined ? ` (${warning.typeName})` : '';
    return `${(warning.path ?? []).join('.')}: ${warning.name ?? 'Warning'}${what} ${JSON.stringify(warning.data)}`;
  });
}
