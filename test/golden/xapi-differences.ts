/**
 * The documented differences between ERB's xAPI and our default (valid) output
 * (docs/xapi-differences.md), applied to ERB's goldens on the test side, written independently
 * of the product code so that the comparison can fail.
 */
export type ExpectedValid = { kind: 'statements'; statements: unknown[] } | { kind: 'skip'; reason: string };

type Json = Record<string, unknown>;

/** The LMS URL of ERB's fixtures (test/support/fixture-context.ts). */
const LMS = 'http://localhost:18000';

export function expectedValidForm(file: string, golden: unknown[]): ExpectedValid {
  const statements = JSON.parse(JSON.stringify(golden)) as Json[];
  if (statements.some((s) => typeof (s['object'] as Json | undefined)?.['id'] !== 'string')) {
    return { kind: 'skip', reason: 'missing_object_id' };
  }
  for (const statement of statements) {
    const object = statement['object'] as Json;
    if (object['objectType'] === 'GroupActivity') object['objectType'] = 'Activity';
    // A bare usage key (special exams, edx.problem.completed) becomes the block's IRI.
    if (String(object['id']).startsWith('block-v1:')) object['id'] = `${LMS}/xblock/${String(object['id'])}`;
    const activities = (statement['context'] as Json | undefined)?.['contextActivities'] as Json | undefined;
    for (const parent of (activities?.['parent'] as Json[] | undefined) ?? []) {
      if (parent['objectType'] === 'GroupActivity') parent['objectType'] = 'Activity';
    }
    if (file.startsWith('edx.special_exam.')) {
      for (const group of (activities?.['grouping'] as Json[] | undefined) ?? []) {
        group['id'] = `urn:uuid:${String(group['id'])}`;
      }
    }
    const score = (statement['result'] as Json | undefined)?.['score'] as Json | undefined;
    if (score !== undefined && score['max'] === 0 && score['min'] === 0) {
      delete score['min'];
      delete score['max'];
      delete score['scaled'];
    }
  }
  return { kind: 'statements', statements };
}
