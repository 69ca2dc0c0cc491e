import type { XapiFamily } from '../transformer.js';
import { problemCheck } from './problem/problem-check.js';
import { hintDisplayed, problemCompleted, problemGraded, showAnswer } from './problem/problem-events.js';

/**
 * xAPI transformers of the problem family, under the names ERB registers (it has no legacy
 * aliases for these). `problem_check` may yield several statements (multi-question problems).
 */
export const problemTransformers = {
  problem_check: problemCheck,
  showanswer: showAnswer,
  'edx.problem.hint.demandhint_displayed': hintDisplayed,
  'edx.grades.problem.submitted': problemGraded,
  'edx.problem.completed': problemCompleted,
} satisfies XapiFamily;
