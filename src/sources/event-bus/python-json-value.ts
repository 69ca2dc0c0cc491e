import { isJsonObject, type JsonValue } from '../../core/event.js';
import { pythonJsonDumps } from '../../transforms/shared/python-json.js';
import { pythonFloatRepr } from '../../transforms/shared/python-repr.js';

/**
 * JSON as Python's `json.loads` reads it, kept so that `json.dumps` writes it back byte for byte:
 * a float stays a float (`1.0`, `1e-07`), an integer keeps every digit (above 2^53 too), and a
 * dict keeps its key order, integer-like keys included (a JS object would move those first).
 * The event-bus publisher renders `data` and `context` from it, as edx-platform's producer does.
 */
export type PythonJsonValue = string | boolean | null | PythonFloat | PythonInt | PythonDict | PythonJsonValue[];

/** A Python float; `toPythonJson` is what `json.dumps` writes for it. */
export class PythonFloat {
  constructor(readonly value: number) {}
  toPythonJson(): string {
    if (Number.isNaN(this.value)) return 'NaN';
    if (!Number.isFinite(this.value)) return this.value > 0 ? 'Infinity' : '-Infinity';
    return pythonFloatRepr(this.value);
  }
}

/** A Python int, as its decimal digits (Python's ints have no size limit). */
export class PythonInt {
  readonly digits: string;
  constructor(text: string) {
    this.digits = BigInt(text).toString();
  }
  toPythonJson(): string {
    return this.digits;
  }
}

/** A Python dict: insertion order, a repeated key keeps its first place and its last value. */
export class PythonDict {
  readonly entries = new Map<string, PythonJsonValue>();
  get(key: string): PythonJsonValue | undefined {
    return this.entries.get(key);
  }
  has(key: string): boolean {
    return this.entries.has(key);
  }
  set(key: string, value: PythonJsonValue): void {
    this.entries.set(key, value);
  }
  toPythonJson(): string {
    let out = '{';
    let separator = '';
    for (const [key, value] of this.entries) {
      out += `${separator}${pythonJsonDumps(key)}: ${pythonJsonDumps(value)}`;
      separator = ', ';
    }
    return `${out}}`;
  }
}

/** Outcome of reading Python-written JSON text. */
export type PythonJsonRead = { ok: true; value: PythonJsonValue } | { ok: false; message: string };

const NUMBER = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
const WHITESPACE = /[ \t\n\r]*/y;

/** `json.loads(text)`, kept as `PythonJsonValue` (NaN, Infinity and -Infinity accepted). */
export function readPythonJson(text: string): PythonJsonRead {
  const reader = new Reader(text);
  try {
    const value = reader.value();
    reader.skipWhitespace();
    if (reader.at < text.length) reader.fail('extra data');
    return { ok: true, value };
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
}

class Reader {
  at = 0;
  constructor(private readonly text: string) {}

  fail(what: string): never {
    throw new Error(`${what} at position ${this.at}`);
  }

  skipWhitespace(): void {
    WHITESPACE.lastIndex = this.at;
    WHITESPACE.exec(this.text);
    this.at = WHITESPACE.lastIndex;
  }

  value(): PythonJsonValue {
    this.skipWhitespace();
    const ch = this.text[this.at];
    if (ch === '{') return this.dict();
    if (ch === '[') return this.list();
    if (ch === '"') return this.string();
    for (const [word, value] of WORDS) {
      if (this.text.startsWith(word, this.at)) {
        this.at += word.length;
        return value();
      }
    }
    NUMBER.lastIndex = this.at;
    const match = NUMBER.exec(this.text);
    if (match === null) this.fail('expecting a value');
    this.at = NUMBER.lastIndex;
    // json.loads: a fraction or an exponent makes a float, anything else an int.
    return match[1] !== undefined || match[2] !== undefined ? new PythonFloat(Number(match[0])) : new PythonInt(match[0]);
  }

  dict(): PythonDict {
    const dict = new PythonDict();
    this.at++;
    this.skipWhitespace();
    if (this.text[this.at] === '}') {
      this.at++;
      return dict;
    }
    for (;;) {
      this.skipWhitespace();
      if (this.text[this.at] !== '"') this.fail('expecting a property name in double quotes');
      const key = this.string();
      this.skipWhitespace();
      if (this.text[this.at] !== ':') this.fail("expecting ':'");
      this.at++;
      dict.set(key, this.value());
      this.skipWhitespace();
      const next = this.text[this.at++];
      if (next === '}') return dict;
      if (next !== ',') this.fail("expecting ',' or '}'");
    }
  }

  list(): PythonJsonValue[] {
    const list: PythonJsonValue[] = [];
    this.at++;
    this.skipWhitespace();
    if (this.text[this.at] === ']') {
      this.at++;
      return list;
    }
    for (;;) {
      list.push(this.value());
      this.skipWhitespace();
      const next = this.text[this.at++];
      if (next === ']') return list;
      if (next !== ',') this.fail("expecting ',' or ']'");
    }
  }

  string(): string {
    const start = this.at;
    let i = start + 1;
    while (i < this.text.length && this.text[i] !== '"') i += this.text[i] === '\\' ? 2 : 1;
    if (i >= this.text.length) this.fail('unterminated string');
    this.at = i + 1;
    // The escapes and the refusal of raw control characters are JSON's, which are Python's.
    try {
      return JSON.parse(this.text.slice(start, this.at)) as string;
    } catch {
      this.at = start;
      return this.fail('invalid string');
    }
  }
}

const WORDS: ReadonlyArray<readonly [string, () => PythonJsonValue]> = [
  ['true', () => true],
  ['false', () => false],
  ['null', () => null],
  ['NaN', () => new PythonFloat(NaN)],
  ['Infinity', () => new PythonFloat(Infinity)],
  ['-Infinity', () => new PythonFloat(-Infinity)],
];

/**
 * A parsed JS value as Python would hold it, for events that come without their text (built in
 * code): integral numbers as ints, others as floats, objects in their JS key order.
 */
export function fromJsonValue(value: JsonValue | undefined): PythonJsonValue {
  if (value === undefined || value === null) return null;
  if (typeof value === 'number') return Number.isInteger(value) ? new PythonInt(BigInt(value).toString()) : new PythonFloat(value);
  if (Array.isArray(value)) return value.map(fromJsonValue);
  if (isJsonObject(value)) {
    const dict = new PythonDict();
    for (const key of Object.keys(value)) dict.set(key, fromJsonValue(value[key]));
    return dict;
  }
  return value;
}
