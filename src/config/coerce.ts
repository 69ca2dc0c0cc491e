import type { SettingKind } from './setting-meta.js';

export type Coerced = { ok: true; value: unknown } | { ok: false; message: string };

/**
 * Environment variables and CLI flags are text. Booleans accept Python's spelling too
 * (`True`/`False`), since ERB's settings came from Django; lists are a JSON array or a
 * comma-separated list; `json` settings are JSON.
 */
export function coerceText(text: string, kind: SettingKind): Coerced {
  const trimmed = text.trim();
  switch (kind) {
    case 'string':
      return { ok: true, value: text };
    case 'boolean':
      if (/^(true|1|yes|on)$/i.test(trimmed)) return { ok: true, value: true };
      if (/^(false|0|no|off)$/i.test(trimmed)) return { ok: true, value: false };
      return { ok: false, message: `expected true or false, got ${JSON.stringify(text)}` };
    case 'integer':
    case 'number':
      if (/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(trimmed)) return { ok: true, value: Number(trimmed) };
      return { ok: false, message: `expected a number, got ${JSON.stringify(text)}` };
    case 'list':
      if (trimmed.startsWith('[')) return parseJson(trimmed, 'a JSON array');
      return {
        ok: true,
        value: trimmed
          .split(',')
          .map((item) => item.trim())
          .filter((item) => item.length > 0),
      };
    case 'json':
      return parseJson(trimmed, 'JSON');
  }
}

function parseJson(text: string, what: string): Coerced {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, message: `expected ${what}: ${(error as Error).message}` };
  }
}
