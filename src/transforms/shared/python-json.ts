/** Options of `pythonJsonDumps`, named after Python's `json.dumps` keywords. */
export interface PythonJsonOptions {
  /**
   * Python's `ensure_ascii` (default true): escape every non-ASCII character. With false, only
   * `"`, `\\` and control characters below U+0020 are escaped (as ERB's list responses are).
   */
  ensureAscii?: boolean;
}

/**
 * Python's `json.dumps` with its defaults (separators ", " and ": ", ensure_ascii=True), the
 * rendering ERB hashes for statement ids and writes to its statement logs. Keys keep insertion
 * order. Non-ASCII characters become \uXXXX escapes with lowercase hex (surrogate pairs stay
 * pairs, since JS strings are UTF-16 already); "/" is not escaped.
 */
export function pythonJsonDumps(value: unknown, options: PythonJsonOptions = {}): string {
  return dumps(value, options.ensureAscii ?? true);
}

// Built by concatenation rather than arrays and joins: statement ids hash this rendering of the
// actor and verb of every statement.
function dumps(value: unknown, ascii: boolean): string {
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'string':
      return pythonString(value, ascii);
    case 'number':
      return pythonNumber(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (typeof (value as { toPythonJson?: unknown }).toPythonJson === 'function') {
        // A value that knows its Python rendering (e.g. a float that must print as `1.0`).
        return (value as { toPythonJson(): string }).toPythonJson();
      }
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ', ') + dumps(value[i], ascii);
        return out + ']';
      }
      const members = value as Record<string, unknown>;
      let out = '{';
      let separator = '';
      for (const key of Object.keys(members)) {
        const item = members[key];
        if (item === undefined) continue;
        out += separator + pythonString(key, ascii) + ': ' + dumps(item, ascii);
        separator = ', ';
      }
      return out + '}';
    }
    default:
      throw new TypeError(`cannot serialise a ${typeof value}`);
  }
}

function pythonNumber(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return 'Infinity';
  if (value === -Infinity) return '-Infinity';
  return JSON.stringify(value);
}

// eslint-disable-next-line no-control-regex
const NEEDS_ESCAPE = /[\u0000-\u001f"\\\u007f-\uffff]/;

// With ensure_ascii=False Python escapes only these (json.encoder ESCAPE).
// eslint-disable-next-line no-control-regex
const NEEDS_ESCAPE_UNICODE = /[\u0000-\u001f"\\]/;

function pythonString(text: string, ascii = true): string {
  if (!(ascii ? NEEDS_ESCAPE : NEEDS_ESCAPE_UNICODE).test(text)) return '"' + text + '"';
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const ch = text[i] as string;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (code < 0x20 || (ascii && code > 0x7e)) out += '\\u' + code.toString(16).padStart(4, '0');
    else out += ch;
  }
  return out + '"';
}
