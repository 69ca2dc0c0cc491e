/**
 * HTML built only through the `html` tag: every interpolated value is escaped unless it is
 * already `SafeHtml`, so a router URL, an LRS response or an event name can never inject
 * markup. Templates must quote attribute values ("…"), which the escaping then covers.
 */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ESCAPES[ch] ?? ch);
}

/** Interpolated values: SafeHtml as is, arrays item by item, null/undefined/false as nothing. */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] ?? '');
  });
  return new SafeHtml(out);
}

function render(value: unknown): string {
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(String(value));
}

/** Markup that is trusted by construction (our own constants); never pass user data here. */
export function trusted(markup: string): SafeHtml {
  return new SafeHtml(markup);
}
