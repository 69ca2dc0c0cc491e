import type { StoredRouter } from '../../routers/types.js';
import { toRouterView } from '../../routers/view.js';
import { html, type SafeHtml } from './html.js';
import { checkSlots, invalidFields, type CheckSlots } from './router-check-view.js';
import type { RouterCheck } from './router-check.js';

/** What the form shows. Never a password or token: only whether one is stored. */
export interface RouterFormValues {
  readonly backend: string;
  readonly routeUrl: string;
  readonly authScheme: string;
  readonly username: string;
  readonly enabled: boolean;
  readonly configurations: string;
}

export interface RouterFormModel {
  /** undefined: a new router. */
  readonly routerId: string | undefined;
  readonly values: RouterFormValues;
  /** Whether a password / token is stored (the edit form says "leave empty to keep"). */
  readonly storedPassword: boolean;
  readonly storedToken: boolean;
  /** The result of a refused save, to show its messages; undefined on first display. */
  readonly check: RouterCheck | undefined;
  /** A refused save that had a password or token typed in: ask for it again (it is not echoed). */
  readonly retypeSecret: boolean;
  readonly csrfToken: string;
}

export const NEW_ROUTER_VALUES: RouterFormValues = {
  backend: 'xapi',
  routeUrl: '',
  authScheme: 'basic',
  username: '',
  enabled: true,
  configurations: '',
};

/** The stored router as form values; credential-like header values read `[redacted]`. */
export function formValuesOf(router: StoredRouter): RouterFormValues {
  const view = toRouterView(router);
  return {
    backend: view.backend,
    routeUrl: view.routeUrl,
    authScheme: view.authScheme,
    username: view.username ?? '',
    enabled: view.enabled,
    configurations: view.configurations === null ? '' : JSON.stringify(view.configurations, null, 2),
  };
}

/** The submitted form as values to show again (secrets dropped). */
export function formValuesFrom(form: URLSearchParams): RouterFormValues {
  return {
    backend: form.get('backend') ?? 'xapi',
    routeUrl: form.get('routeUrl') ?? '',
    authScheme: form.get('authScheme') ?? 'none',
    username: form.get('username') ?? '',
    enabled: form.has('enabled'),
    configurations: form.get('configurations') ?? '',
  };
}

/**
 * The textarea's start tag is followed by a line break on purpose: HTML parsers drop the first
 * one, so a value that starts with a line break keeps it (and JSON error lines stay right).
 */
export function renderRouterForm(model: RouterFormModel): SafeHtml {
  const { values, routerId, check } = model;
  const slots: CheckSlots = check === undefined ? {} : checkSlots(check);
  const invalid = new Set(check === undefined ? [] : invalidFields(check));
  const slot = (name: string, className: string, id?: string): SafeHtml =>
    html`<div class="${className}"${id !== undefined ? html` id="${id}"` : ''} data-slot="${name}">${slotOrEmpty(slots[name])}</div>`;
  const aria = (field: string): SafeHtml =>
    html` data-field="${field}" aria-describedby="hint-${field} error-${field}"${invalid.has(field) ? html` aria-invalid="true"` : ''}`;
  const action = routerId === undefined ? '/admin/routers' : `/admin/routers/${encodeURIComponent(routerId)}`;
  const checkUrl = routerId === undefined ? '/admin/api/check-router' : `/admin/api/check-router?id=${encodeURIComponent(routerId)}`;
  const scheme = values.authScheme;
  const radio = (value: string, label: string): SafeHtml =>
    html`<label class="choice"><input type="radio" name="authScheme" value="${value}" data-field="authScheme"${scheme === value ? html` checked` : ''}> ${label}</label>`;
  const secretHint = (stored: boolean, what: string, schemeName: string): string =>
    model.retypeSecret
      ? `Enter the ${what} again: it is never sent back to the browser.`
      : stored
        ? `A ${what} is stored. Leave this empty to keep it (while the scheme stays ${schemeName}).`
        : `Required for ${schemeName} authentication.`;

  return html`<form class="stacked" method="post" action="${action}" data-router-form data-validate-url="${checkUrl}" novalidate>
<input type="hidden" name="_csrf" value="${model.csrfToken}">
${slot('warnings-general', 'general-warnings')}
<section class="card" aria-labelledby="sec-destination">
  <h2 id="sec-destination">Destination</h2>
  <div class="field">
    <label for="f-backend">Backend</label>
    <select id="f-backend" name="backend"${aria('backend')}>
      <option value="xapi"${values.backend === 'xapi' ? html` selected` : ''}>xAPI</option>
      <option value="caliper"${values.backend === 'caliper' ? html` selected` : ''}>Caliper</option>
    </select>
    <p class="hint" id="hint-backend">Which transformer output this router receives.</p>
    ${slot('error-backend', 'field-error', 'error-backend')}
  </div>
  <div class="field">
    <label for="f-routeUrl">Route URL</label>
    <input type="text" id="f-routeUrl" name="routeUrl" value="${values.routeUrl}" inputmode="url" autocomplete="off" spellcheck="false" placeholder="https://lrs.example.com/xAPI/"${aria('routeUrl')}>
    <p class="hint" id="hint-routeUrl">xAPI: the LRS base URL; statements go to <code>…/statements</code>. Caliper: the endpoint itself. <code>file:///path.ndjson</code> appends JSON lines to a file.</p>
    ${slot('error-routeUrl', 'field-error', 'error-routeUrl')}
  </div>
  <div class="field">
    <label class="choice"><input type="checkbox" name="enabled" value="on" data-field="enabled" aria-describedby="hint-enabled"${values.enabled ? html` checked` : ''}> Enabled</label>
    <p class="hint" id="hint-enabled">A disabled router keeps its queued events and sends nothing until enabled again.</p>
  </div>
</section>
<section class="card" aria-labelledby="sec-auth">
  <h2 id="sec-auth">Authentication</h2>
  <fieldset class="plain" aria-describedby="error-authScheme">
    <legend class="label">Auth scheme</legend>
    <div class="choices">${radio('none', 'None')}${radio('basic', 'Basic')}${radio('bearer', 'Bearer token')}</div>
    ${slot('error-authScheme', 'field-error', 'error-authScheme')}
  </fieldset>
  <div data-auth="basic"${scheme !== 'basic' ? html` hidden` : ''}>
    <div class="grid-2">
      <div class="field">
        <label for="f-username">Username</label>
        <input type="text" id="f-username" name="username" value="${values.username}" autocomplete="off" spellcheck="false"${aria('username')}>
        <p class="hint" id="hint-username">The LRS key (HTTP Basic user name).</p>
        ${slot('error-username', 'field-error', 'error-username')}
      </div>
      <div class="field">
        <label for="f-password">Password</label>
        <input type="password" id="f-password" name="password" value="" autocomplete="new-password"${model.storedPassword ? html` placeholder="Stored: leave unchanged"` : ''}${aria('password')}>
        <p class="hint" id="hint-password">${secretHint(model.storedPassword, 'password', 'Basic')}</p>
        ${slot('error-password', 'field-error', 'error-password')}
      </div>
    </div>
  </div>
  <div data-auth="bearer"${scheme !== 'bearer' ? html` hidden` : ''}>
    <div class="field">
      <label for="f-token">Token</label>
      <input type="password" id="f-token" name="token" value="" autocomplete="new-password"${model.storedToken ? html` placeholder="Stored: leave unchanged"` : ''}${aria('token')}>
      <p class="hint" id="hint-token">${secretHint(model.storedToken, 'token', 'Bearer')} Sent as <code>Authorization: Bearer …</code>.</p>
      ${slot('error-token', 'field-error', 'error-token')}
    </div>
  </div>
  <p class="hint" data-auth="none"${scheme !== 'none' ? html` hidden` : ''}>No credentials are sent.</p>
</section>
<section class="card" aria-labelledby="sec-config">
  <h2 id="sec-config">Configurations</h2>
  <div class="field">
    <label for="f-configurations">Configurations (JSON, as in event-routing-backends)</label>
    <textarea id="f-configurations" name="configurations" class="code" rows="14" spellcheck="false" autocapitalize="off" placeholder='{"match_params": {"context.org_id": "^edX$"}}'${aria('configurations')}>
${values.configurations}</textarea>
    <p class="hint" id="hint-configurations"><code>match_params</code>: dotted event keys to Python regexes (all keys must match; a list matches any item).
    <code>override_args</code>: keys set at the root of each statement. <code>headers</code>: extra request headers. Empty: every event, unchanged.
    Credential-like header values show as <code>[redacted]</code> and are kept when saved unchanged.</p>
    ${slot('error-configurations', 'field-error', 'error-configurations')}
    ${slot('warnings-configurations', 'field-warnings')}
    <p class="check-ok" data-slot="ok-configurations">${slotOrEmpty(slots['ok-configurations'])}</p>
  </div>
</section>
<div class="form-actions">
  <button type="submit" class="btn btn-primary">${routerId === undefined ? 'Create router' : 'Save changes'}</button>
  <a class="btn" href="/admin/routers">Cancel</a>
  <span class="muted small" role="status" data-check-status></span>
</div>
</form>`;
}

/** An empty slot before the first check. */
function slotOrEmpty(value: SafeHtml | undefined): SafeHtml {
  return value ?? html``;
}
