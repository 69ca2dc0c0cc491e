import { html, type SafeHtml } from './html.js';
import { topField, type RouterCheck } from './router-check.js';

/**
 * The messages of a router check, as HTML fragments keyed by the `data-slot` they fill. The
 * save renders them into the page and the as-you-type endpoint returns them as JSON, so both
 * look the same and everything is escaped on the server.
 */
export type CheckSlots = Record<string, SafeHtml>;

/** The slots as strings, for the JSON answer of the as-you-type check. */
export function slotStrings(slots: CheckSlots): Record<string, string> {
  return Object.fromEntries(Object.entries(slots).map(([name, value]) => [name, value.value]));
}

const FIELD_SLOTS = ['backend', 'routeUrl', 'authScheme', 'username', 'password', 'token', 'enabled'] as const;

export function checkSlots(check: RouterCheck): CheckSlots {
  const slots: CheckSlots = {};
  for (const field of FIELD_SLOTS) {
    slots[`error-${field}`] = list(check.errors.filter((e) => topField(e.field) === field).map((e) => e.message));
  }
  const configErrors = check.errors.filter((e) => topField(e.field) === 'configurations');
  slots['error-configurations'] = configurationErrors(check);
  const configWarnings = check.warnings.filter((w) => w.startsWith('configurations'));
  const otherWarnings = check.warnings.filter((w) => !w.startsWith('configurations'));
  slots['warnings-configurations'] = list(configWarnings.map(shortPath));
  slots['warnings-general'] =
    otherWarnings.length === 0
      ? html``
      : html`<div class="notice notice-warning"><strong>Warnings</strong> (the router can still be saved)${list(otherWarnings)}</div>`;
  slots['ok-configurations'] = html`${
    configErrors.length > 0
      ? ''
      : check.emptyConfigurations
        ? 'Empty: the router receives every event, with no overrides or extra headers.'
        : 'Valid: the JSON parses and every pattern compiles.'
  }`;
  return slots;
}

/** Fields whose inputs get `aria-invalid`. */
export function invalidFields(check: RouterCheck): string[] {
  return [...new Set(check.errors.map((e) => topField(e.field)))];
}

function configurationErrors(check: RouterCheck): SafeHtml {
  const { json } = check;
  if (json === undefined) {
    const items = check.errors.filter((e) => topField(e.field) === 'configurations').map((e) => `${shortPath(e.field)}: ${e.message}`);
    return list(items);
  }
  const caret = `${' '.repeat(Math.max(0, json.column - 1))}^`;
  return html`<p><strong>JSON error on line ${json.line}, column ${json.column}:</strong> ${json.message}
<button type="button" class="btn btn-sm" data-goto-offset="${json.offset}">Go to line ${json.line}</button></p>
<pre class="json-excerpt">${json.lineText}
${caret}</pre>`;
}

/** `configurations.match_params.name[1]: …` → `match_params.name[1]: …` (the box is the configurations). */
function shortPath(text: string): string {
  return text.replace(/^configurations\.?/, '') || 'configurations';
}

function list(items: readonly string[]): SafeHtml {
  return items.length === 0 ? html`` : html`<ul>${items.map((item) => html`<li>${item}</li>`)}</ul>`;
}
