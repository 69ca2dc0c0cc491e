/**
 * The documented differences between ERB's Caliper and our default (valid) output
 * (docs/caliper.md, "Default mode"), applied to ERB's goldens on the test side, written
 * independently of the product code so that the comparison can fail.
 */
export type ExpectedValidCaliper = { kind: 'event'; event: Record<string, unknown> } | { kind: 'skip'; reason: string };

type Json = Record<string, unknown>;

export function expectedValidCaliper(golden: Json): ExpectedValidCaliper {
  const event = JSON.parse(JSON.stringify(golden)) as Json;
  const object = event['object'] as Json;
  // An Assessment without an id (browser problem_check naming no problem) is not emitted.
  if (typeof object['id'] !== 'string') return { kind: 'skip', reason: 'missing_object_id' };
  // ERB's `Webpage` is the Caliper term `WebPage`.
  if (object['type'] === 'Webpage') object['type'] = 'WebPage';
  // A GradeEvent generates the Score itself, not {score: Score}; `attempts` goes to its extensions.
  const generated = event['generated'] as Json | undefined;
  if (generated !== undefined) {
    const score = { ...(generated['score'] as Json) };
    score['extensions'] = { ...(score['extensions'] as Json), attempts: score['attempts'] };
    delete score['attempts'];
    event['generated'] = score;
  }
  // (Negative durations are left out; no ERB fixture has one.)
  return { kind: 'event', event };
}
