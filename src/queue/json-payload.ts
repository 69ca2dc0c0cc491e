/**
 * An outbox payload held as its JSON text: what the outbox stores, what crosses between threads
 * and what delivery joins into request bodies. The value is parsed only when something reads it
 * (override_args, the dead-letter list), so a statement is stringified once on its way to the
 * LRS and never parsed on the SQLite path.
 */
export class JsonPayload {
  private parsed: { value: unknown } | undefined;

  private constructor(readonly text: string) {}

  /** Text the outbox wrote (or another thread sent); trusted to be JSON, checked only when parsed. */
  static fromText(text: string): JsonPayload {
    return new JsonPayload(text);
  }

  /** Throws a TypeError on a value that has no JSON text (undefined, a function, a BigInt, a cycle). */
  static of(value: unknown): JsonPayload {
    let text: string | undefined;
    try {
      text = JSON.stringify(value);
    } catch (error) {
      throw new TypeError(`payload is not JSON-serialisable: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (text === undefined) throw new TypeError('payload is not JSON-serialisable');
    return new JsonPayload(text);
  }

  /** Parsed once; every call returns the same object, so callers must copy before they change it. */
  value(): unknown {
    this.parsed ??= { value: JSON.parse(this.text) as unknown };
    return this.parsed.value;
  }
}
