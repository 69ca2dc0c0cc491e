import type { JsonValue } from './json-value.js';
import { randomBytes } from 'node:crypto';

/** Outcome of parsing JSON text written by Python. */
export type PythonJsonParse = { ok: true; value: JsonValue } | { ok: false; message: string };

/**
 * `json.loads` of text written by Python's `json.dumps`, which (allow_nan=True by default)
 * writes bare `NaN`, `Infinity` and `-Infinity`; `JSON.parse` rejects those. Plain JSON takes
 * the fast path; only text that fails it is rescanned. The one parser of Python-written JSON:
 * bus payloads, tracking-log lines (`transform`, `replay`, followers) and `event` strings.
 * A caller that has already tried `JSON.parse` passes its error message to skip a second try.
 */
export function parsePythonJson(text: string, plainJsonError?: string): PythonJsonParse {
  let firstMessage = plainJsonError;
  if (firstMessage === undefined) {
    try {
      return { ok: true, value: JSON.parse(text) as JsonValue };
    } catch (error) {
      firstMessage = (error as Error).message;
    }
  }
  if (!/NaN|Infinity/.test(text)) return { ok: false, message: firstMessage };
  return parseWithNonFinite(text, firstMessage);
}

const TOKENS: ReadonlyArray<readonly [string, number]> = [
  ['-Infinity', -Infinity],
  ['Infinity', Infinity],
  ['NaN', NaN],
];

function parseWithNonFinite(text: string, firstMessage: string): PythonJsonParse {
  // Replace the bare tokens outside strings by sentinel strings, then map them back in a reviver.
  // The random nonce keeps a genuine string value from ever matching a sentinel.
  const nonce = randomBytes(12).toString('hex');
  const sentinels = new Map<string, number>(TOKENS.map(([token, value]) => [`\u0000${nonce}${token}`, value]));
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (inString) {
      out += ch;
      if (ch === '\\') {
        out += text[i + 1] ?? '';
        i++;
      } else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') {
      inString = true;
      out += ch;
      continue;
    }
    const match = TOKENS.find(([token]) => text.startsWith(token, i));
    if (match) {
      out += JSON.stringify(`\u0000${nonce}${match[0]}`);
      i += match[0].length - 1;
      continue;
    }
    out += ch;
  }
  try {
    const value = JSON.parse(out, (_key, item: unknown) => (typeof item === 'string' && sentinels.has(item) ? sentinels.get(item) : item)) as JsonValue;
    return { ok: true, value };
  } catch {
    return { ok: false, message: firstMessage };
  }
}
