import { RE2JS } from 're2js';

/**
 * ERB and event-tracking write their patterns in Python `re` syntax; we run them on RE2
 * (re2js), whose matching time is linear in the input, so no pattern can stall the service.
 * Most Python patterns mean the same in RE2. The few Python features RE2 cannot run in linear
 * time (backreferences, lookaround, atomic groups, possessive quantifiers, conditionals) are
 * refused with a message that says so, when the pattern is saved — never at event time.
 */
export type CompiledRegex = RE2JS;

export type RegexOutcome = { ok: true; regex: CompiledRegex } | { ok: false; message: string };

/** Patterns longer than this are refused: they are configuration, not data. */
export const MAX_PATTERN_LENGTH = 4096;

export function compilePythonRegex(pattern: string): RegexOutcome {
  if (pattern.length > MAX_PATTERN_LENGTH) {
    return { ok: false, message: `regular expression is longer than ${MAX_PATTERN_LENGTH} characters` };
  }
  try {
    return { ok: true, regex: RE2JS.compile(translatePythonEscapes(pattern)) };
  } catch (error) {
    return { ok: false, message: `invalid regular expression ${JSON.stringify(pattern)}: ${diagnose(error, pattern)}` };
  }
}

/**
 * Python escapes with an exact RE2 equivalent are rewritten rather than refused:
 * `\Z` (end of text) is RE2's `\z`; `\uXXXX` and `\UXXXXXXXX` are `\x{…}`.
 */
export function translatePythonEscapes(pattern: string): string {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch !== '\\' || i + 1 >= pattern.length) {
      out += ch;
      continue;
    }
    const next = pattern[i + 1];
    const short = /^[0-9a-fA-F]{4}$/.exec(pattern.slice(i + 2, i + 6));
    const long = /^[0-9a-fA-F]{8}$/.exec(pattern.slice(i + 2, i + 10));
    if (next === 'Z') {
      out += '\\z';
      i += 1;
    } else if (next === 'u' && short) {
      out += `\\x{${short[0]}}`;
      i += 5;
    } else if (next === 'U' && long) {
      out += `\\x{${long[0]}}`;
      i += 9;
    } else {
      out += ch + next;
      i += 1;
    }
  }
  return out;
}

/** RE2's own message, with the Python feature named when that is why RE2 refused. */
function diagnose(error: unknown, pattern: string): string {
  const raw = error instanceof Error ? error.message : String(error);
  const message = raw.replace(/^error parsing regexp: /, '');
  // RE2 reports only "(?P" for Python's named backreference (?P=name).
  if (message.includes('`(?P') && pattern.includes('(?P=')) return `a named backreference ${LINEAR} (${message})`;
  for (const [test, explanation] of PYTHON_ONLY) {
    if (test.test(message)) return `${explanation} (${message})`;
  }
  return message;
}

const LINEAR = 'is a Python feature that the linear-time engine (RE2) does not support';
const PYTHON_ONLY: ReadonlyArray<readonly [RegExp, string]> = [
  [/`\\[1-9]|`\(\?P=|`\\g|`\\k/, `a backreference ${LINEAR}`],
  [/`\(\?[=!]/, `lookahead ${LINEAR}`],
  [/`\(\?<[=!]/, `lookbehind ${LINEAR}`],
  [/`\(\?>/, `an atomic group ${LINEAR}`],
  [/nested repetition operator: `[*+?}]\+/, `a possessive quantifier ${LINEAR}`],
  [/`\(\?\(/, `a conditional group ${LINEAR}`],
  [/`\(\?#/, 'an inline comment (?#…) is not supported by RE2; remove it'],
  [/`\(\?[xaLu]/, 'the flags x, a, L and u are not supported by RE2 (i, m and s are)'],
];
