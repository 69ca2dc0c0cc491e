/**
 * Where a JSON text goes wrong, as line and column. V8's JSON.parse messages carry a position
 * only for some errors and change wording between Node versions, so JSON.parse decides whether
 * the text is valid and this small scanner (RFC 8259 grammar) says where and why it is not.
 */
export interface JsonErrorLocation {
  /** 1-based. */
  readonly line: number;
  /** 1-based, in UTF-16 code units like a textarea's selection. */
  readonly column: number;
  /** 0-based offset into the text. */
  readonly offset: number;
  readonly message: string;
}

export type JsonParseOutcome = { ok: true; value: unknown } | { ok: false; error: JsonErrorLocation };

export function parseJsonWithLocation(text: string): JsonParseOutcome {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    const found = scan(text);
    const offset = found?.offset ?? v8Position(error) ?? text.length;
    const message = found?.message ?? (error as Error).message;
    return { ok: false, error: { ...lineAndColumn(text, offset), offset, message } };
  }
}

function v8Position(error: unknown): number | undefined {
  const match = /at position (\d+)/.exec(error instanceof Error ? error.message : '');
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const lastBreak = before.lastIndexOf('\n');
  return { line: before.split('\n').length, column: offset - lastBreak };
}

class Stop {
  constructor(
    readonly offset: number,
    readonly message: string,
  ) {}
}

/** The first error of `text`, or undefined if the scanner finds none. */
function scan(text: string): { offset: number; message: string } | undefined {
  let i = 0;
  const fail = (message: string, at = i): never => {
    throw new Stop(at, message);
  };
  const ws = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i] as string)) i++;
  };
  const describe = (): string => (i >= text.length ? 'the text ends' : `found ${JSON.stringify(text[i])}`);

  function value(): void {
    ws();
    const ch = text[i];
    if (ch === '{') return object();
    if (ch === '[') return array();
    if (ch === '"') return string();
    if (ch === '-' || (ch !== undefined && ch >= '0' && ch <= '9')) return number();
    for (const word of ['true', 'false', 'null']) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return;
      }
    }
    if (ch === "'") fail('strings and names need double quotes (")');
    fail(`expected a value, ${describe()}`);
  }

  function object(): void {
    i++;
    ws();
    if (text[i] === '}') return void i++;
    for (;;) {
      ws();
      if (text[i] === '}') fail('no comma before a closing "}" (trailing comma)');
      if (text[i] !== '"') fail(text[i] === "'" ? 'property names need double quotes (")' : `expected a property name in double quotes, ${describe()}`);
      string();
      ws();
      if (text[i] !== ':') fail(`expected ":" after the property name, ${describe()}`);
      i++;
      value();
      ws();
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === '}') return void i++;
      fail(`expected "," or "}" after a property value, ${describe()}`);
    }
  }

  function array(): void {
    i++;
    ws();
    if (text[i] === ']') return void i++;
    for (;;) {
      ws();
      if (text[i] === ']') fail('no comma before a closing "]" (trailing comma)');
      value();
      ws();
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === ']') return void i++;
      fail(`expected "," or "]" after a list item, ${describe()}`);
    }
  }

  function string(): void {
    const start = i++;
    while (i < text.length) {
      const ch = text[i] as string;
      if (ch === '"') return void i++;
      if (ch === '\\') {
        const next = text[i + 1];
        if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) i += 6;
        else if (next !== undefined && '"\\/bfnrt'.includes(next)) i += 2;
        else fail('invalid escape in a string (a regex backslash must be doubled: "\\\\d")');
        continue;
      }
      if (ch < ' ') fail(ch === '\n' ? 'a string runs past the end of the line (missing closing ")' : 'control character in a string');
      i++;
    }
    fail('a string is never closed (missing ")', start);
  }

  function number(): void {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (match === null || match[0] === '-') fail('invalid number');
    i += (match as RegExpExecArray)[0].length;
  }

  try {
    value();
    ws();
    if (i < text.length) fail(`unexpected text after the JSON value, ${describe()}`);
    return undefined;
  } catch (error) {
    if (error instanceof Stop) return { offset: error.offset, message: error.message };
    throw error;
  }
}
