/**
 * The admin page's only script, for the browser: compiled by tsconfig.browser.json against the
 * DOM types into a classic script (no imports, no modules) that assets.ts serves. Every page
 * works without it; it adds: auth fields that follow the chosen scheme, configuration checks as
 * you type (the server renders the messages, escaped, so markup has one source), counters that
 * refresh on their own, and confirmations. Loaded in <head> without `defer` so the `js` class is
 * set before first paint (no flash of the auth fields of other schemes); the rest waits for
 * DOMContentLoaded.
 */

/** The JSON answer of the as-you-type check (router-pages.ts). */
interface CheckAnswer {
  readonly ok: boolean;
  readonly errorCount: number;
  readonly invalid: readonly string[];
  readonly slots: Readonly<Record<string, string>>;
}

/** The JSON answer of the overview's live counters (overview-page.ts). */
interface LiveAnswer {
  readonly generatedAt: number | string;
  readonly totals: Readonly<Record<string, string>>;
  readonly routers: Readonly<Record<string, { readonly health: string; readonly retryNow: boolean; readonly cells: Readonly<Record<string, string>> }>>;
}

document.documentElement.classList.add('js');

function csrfToken(): string {
  const meta = document.querySelector('meta[name="csrf-token"]');
  return meta?.getAttribute('content') ?? '';
}

function initAuthFields(form: HTMLFormElement): void {
  const radios = form.querySelectorAll<HTMLInputElement>('input[name="authScheme"]');
  if (radios.length === 0) return;
  function update(): void {
    const checked = form.querySelector<HTMLInputElement>('input[name="authScheme"]:checked');
    const scheme = checked ? checked.value : 'none';
    form.querySelectorAll<HTMLElement>('[data-auth]').forEach((group) => {
      const show = group.getAttribute('data-auth') === scheme;
      group.hidden = !show;
      group.querySelectorAll('input').forEach((input) => {
        input.disabled = !show;
      });
    });
  }
  radios.forEach((radio) => radio.addEventListener('change', update));
  update();
}

function initChecks(form: HTMLFormElement): void {
  const url = form.getAttribute('data-validate-url') ?? '';
  if (!url) return;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let sequence = 0;
  const status = form.querySelector('[data-check-status]');
  function run(): void {
    const mine = ++sequence;
    const data = new URLSearchParams();
    new FormData(form).forEach((value, name) => {
      if (typeof value === 'string') data.append(name, value);
    });
    // Secrets are only checked for presence: never send them on every keystroke.
    ['password', 'token'].forEach((name) => {
      if (data.get(name)) data.set(name, 'unchanged-secret');
    });
    fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-csrf-token': csrfToken(), accept: 'application/json' },
      body: data.toString(),
    })
      .then((response) => {
        if (!response.ok) throw new Error('HTTP ' + response.status);
        return response.json() as Promise<CheckAnswer>;
      })
      .then((result) => {
        if (mine !== sequence) return;
        Object.keys(result.slots).forEach((slot) => {
          form.querySelectorAll('[data-slot="' + slot + '"]').forEach((el) => {
            el.innerHTML = result.slots[slot] ?? '';
          });
        });
        form.querySelectorAll('[data-field]').forEach((input) => {
          if (result.invalid.indexOf(input.getAttribute('data-field') ?? '') >= 0) input.setAttribute('aria-invalid', 'true');
          else input.removeAttribute('aria-invalid');
        });
        if (status)
          status.textContent = result.ok ? 'Checked: no errors.' : 'Checked: ' + result.errorCount + (result.errorCount === 1 ? ' error.' : ' errors.');
      })
      .catch(() => {
        if (mine === sequence && status) status.textContent = 'Could not check the form just now; it is checked again on save.';
      });
  }
  function later(): void {
    clearTimeout(timer);
    timer = setTimeout(run, 300);
  }
  form.addEventListener('input', later);
  form.addEventListener('change', later);
  form.addEventListener('click', (event) => {
    const button = (event.target as Element | null)?.closest('[data-goto-offset]');
    if (!button) return;
    const area = form.querySelector<HTMLTextAreaElement>('textarea[name="configurations"]');
    if (!area) return;
    const offset = Number(button.getAttribute('data-goto-offset'));
    area.focus();
    area.setSelectionRange(offset, Math.min(offset + 1, area.value.length));
  });
}

function initLive(root: Element): void {
  const url = root.getAttribute('data-live-url') ?? '';
  const interval = Number(root.getAttribute('data-live-interval')) || 3000;
  const status = document.querySelector('[data-live-status]');
  const label = document.querySelector('[data-live-label]');
  const toggle = document.querySelector('[data-live-toggle]');
  let paused = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  function show(state: string, text: string): void {
    if (status) status.setAttribute('data-state', state);
    if (label) label.textContent = text;
  }
  function apply(data: LiveAnswer): void {
    document.querySelectorAll<HTMLElement>('[data-live]').forEach((el) => {
      const [name = '', cell = ''] = (el.getAttribute('data-live') ?? '').split('|');
      const source = name === 'total' ? data.totals : data.routers[name]?.cells;
      const value = source?.[cell];
      if (source === undefined || value === undefined) return;
      if (el.textContent !== value) el.textContent = value;
      if (cell === 'health') el.className = 'badge badge-' + data.routers[name]?.health;
      if (cell === 'lastError') {
        el.classList.toggle('has-error', source['lastError'] !== '\u2014');
        el.title = source['lastError'] ?? '';
      }
    });
    // "Retry now" shows while the router waits (router-cells.ts retryNowButton).
    document.querySelectorAll<HTMLElement>('[data-retry-now]').forEach((el) => {
      const router = data.routers[el.getAttribute('data-retry-now') ?? ''];
      if (router) el.hidden = !router.retryNow;
    });
  }
  function tick(): void {
    // Every failure is caught below; the chain ends by scheduling the next tick.
    void fetch(url, { credentials: 'same-origin', headers: { accept: 'application/json' } })
      .then((response) => {
        if (response.status === 401) {
          window.location.assign('/admin/login');
          throw new Error('signed out');
        }
        if (!response.ok) throw new Error('HTTP ' + response.status);
        return response.json() as Promise<LiveAnswer>;
      })
      .then((data) => {
        apply(data);
        if (!paused) show('live', 'Live · updated ' + new Date(data.generatedAt).toLocaleTimeString());
      })
      .catch(() => {
        if (!paused) show('error', 'Could not refresh; trying again');
      })
      .then(schedule);
  }
  function schedule(): void {
    clearTimeout(timer);
    if (!paused) timer = setTimeout(tick, interval);
  }
  if (toggle) {
    toggle.addEventListener('click', () => {
      paused = !paused;
      toggle.textContent = paused ? 'Resume updates' : 'Pause updates';
      toggle.setAttribute('aria-pressed', String(paused));
      if (paused) {
        clearTimeout(timer);
        show('paused', 'Paused');
      } else {
        show('live', 'Live');
        tick();
      }
    });
  }
  schedule();
}

document.addEventListener('DOMContentLoaded', () => {
  document.querySelectorAll<HTMLFormElement>('form[data-router-form]').forEach((form) => {
    initAuthFields(form);
    initChecks(form);
  });
  document.querySelectorAll<HTMLFormElement>('form[data-confirm]').forEach((form) => {
    form.addEventListener('submit', (event) => {
      if (!window.confirm(form.getAttribute('data-confirm') ?? '')) event.preventDefault();
    });
  });
  const live = document.querySelector('[data-live-url]');
  if (live) initLive(live);
});
