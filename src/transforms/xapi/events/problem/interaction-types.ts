import type { JsonValue } from '../../../../core/event.js';

/** xAPI interaction type for each capa response type (ERB's map); anything else is `other`. */
const INTERACTION_TYPES: ReadonlyMap<string, string> = new Map([
  ['choiceresponse', 'choice'],
  ['multiplechoiceresponse', 'choice'],
  ['numericalresponse', 'numeric'],
  ['stringresponse', 'fill-in'],
  ['customresponse', 'other'],
  ['coderesponse', 'other'],
  ['externalresponse', 'other'],
  ['formularesponse', 'fill-in'],
  ['schematicresponse', 'other'],
  ['imageresponse', 'matching'],
  ['annotationresponse', 'fill-in'],
  ['choicetextresponse', 'choice'],
  ['optionresponse', 'choice'],
  ['symbolicresponse', 'fill-in'],
  ['truefalseresponse', 'true-false'],
  ['non_existent', 'other'],
]);

export const DEFAULT_INTERACTION_TYPE = 'other';

/** The xAPI interaction type of a response type, `other` when unknown or absent. */
export function interactionType(responseType: JsonValue | undefined): string {
  return (typeof responseType === 'string' ? INTERACTION_TYPES.get(responseType) : undefined) ?? DEFAULT_INTERACTION_TYPE;
}
