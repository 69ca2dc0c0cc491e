/**
 * The admin page's only script, plain ES2020 for the browser (the project compiles without DOM
 * types, so it lives here as text). Every page works without it; it adds: auth fields that
 * follow the chosen scheme, configuration checks as you type (the server renders the messages,
 * escaped, so markup has one source), counters that refresh on their own, and confirmations.
 * Loaded in <head> without `defer` so the `js` class is set before first paint (no flash of
 * the auth fields of other schemes); the rest waits for DOMContentLoaded.
 */
export const CLIENT_SCRIPT = `'use strict';
document.documentElement.classList.add('js');

function csrfToken() {
  var meta = document.querySelector('meta[name="csrf-token"]');
  return meta ? meta.getAttribute('content') : '';
}

function initAuthFields(form) {
  var radios = form.querySelectorAll('input[name="authScheme"]');
  if (radios.length === 0) return;
  function update() {
    var checked = form.querySelector('input[name="authScheme"]:checked');
    var scheme = checked ? checked.value : 'none';
    form.querySelectorAll('[data-auth]').forEach(function (group) {
      var show = group.getAttribute('data-auth') === scheme;
      group.hidden = !show;
      group.querySelectorAll('input').forEach(function (input) { input.disabled = !show; });
    });
  }
  radios.forEach(function (radio) { radio.addEventListener('change', update); });
  update();
}

function initChecks(form) {
  var url = form.getAttribute('data-validate-url');
  if (!url) return;
  var timer = null;
  var sequence = 0;
  var status = form.querySelector('[data-check-status]');
  function run() {
    var mine = ++sequence;
    var data = new URLSearchParams(new FormData(form));
    // Secrets are only checked for presence: never send them on every keystroke.
    ['password', 'token'].forEach(function (name) { if (data.get(name)) data.set(name, 'unchanged-secret'); });
    fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-csrf-token': csrfToken(), accept: 'application/json' },
      body: data.toString(),
    }).then(function (response) {
      if (!response.ok) throw new Error('HTTP ' + response.status);
      return response.json();
    }).then(function (result) {
      if (mine !== sequence) return;
      Object.keys(result.slots).forEach(function (slot) {
        form.querySelectorAll('[data-slot="' + slot + '"]').forEach(function (el) { el.innerHTML = result.slots[slot]; });
      });
      form.querySelectorAll('[data-field]').forEach(function (input) {
        if (result.invalid.indexOf(input.getAttribute('data-field')) >= 0) input.setAttribute('aria-invalid', 'true');
        else input.removeAttribute('aria-invalid');
      });
      if (status) status.textContent = result.ok ? 'Checked: no errors.' : 'Checked: ' + result.errorCount + (result.errorCount === 1 ? ' error.' : ' errors.');
    }).catch(function () {
      if (mine === sequence && status) status.textContent = 'Could not check the form just now; it is checked again on save.';
    });
  }
  function later() { clearTimeout(timer); timer = setTimeout(run, 300); }
  form.addEventListener('input', later);
  form.addEventListener('change', later);
  form.addEventListener('click', function (event) {
    var button = event.target.closest('[data-goto-offset]');
    if (!button) return;
    var area = form.querySelector('textarea[name="configurations"]');
    var offset = Number(button.getAttribute('data-goto-offset'));
    area.focus();
    area.setSelectionRange(offset, Math.min(offset + 1, area.value.length));
  });
}

function initLive(root) {
  var url = root.getAttribute('data-live-url');
  var interval = Number(root.getAttribute('data-live-interval')) || 3000;
  var status = document.querySelector('[data-live-status]');
  var label = document.querySelector('[data-live-label]');
  var toggle = document.querySelector('[data-live-toggle]');
  var paused = false;
  var timer = null;
  function show(state, text) {
    if (status) status.setAttribute('data-state', state);
    if (label) label.textContent = text;
  }
  function apply(data) {
    document.querySelectorAll('[data-live]').forEach(function (el) {
      var key = el.getAttribute('data-live').split('|');
      var source = key[0] === 'total' ? data.totals : (data.routers[key[0]] || {}).cells;
      if (!source || source[key[1]] === undefined) return;
      if (el.textContent !== source[key[1]]) el.textContent = source[key[1]];
      if (key[1] === 'health') el.className = 'badge badge-' + data.routers[key[0]].health;
      if (key[1] === 'lastError') { el.classList.toggle('has-error', source.lastError !== '\u2014'); el.title = source.lastError; }
    });
    // "Retry now" shows while the router waits (router-cells.ts retryNowButton).
    document.querySelectorAll('[data-retry-now]').forEach(function (el) {
      var router = data.routers[el.getAttribute('data-retry-now')];
      if (router) el.hidden = !router.retryNow;
    });
  }
  function tick() {
    fetch(url, { credentials: 'same-origin', headers: { accept: 'application/json' } }).then(function (response) {
      if (response.status === 401) { window.location.assign('/admin/login'); throw new Error('signed out'); }
      if (!response.ok) throw new Error('HTTP ' + response.status);
      return response.json();
    }).then(function (data) {
      apply(data);
      if (!paused) show('live', 'Live · updated ' + new Date(data.generatedAt).toLocaleTimeString());
    }).catch(function () {
      if (!paused) show('error', 'Could not refresh; trying again');
    }).then(schedule);
  }
  function schedule() { clearTimeout(timer); if (!paused) timer = setTimeout(tick, interval); }
  if (toggle) toggle.addEventListener('click', function () {
    paused = !paused;
    toggle.textContent = paused ? 'Resume updates' : 'Pause updates';
    toggle.setAttribute('aria-pressed', String(paused));
    if (paused) { clearTimeout(timer); show('paused', 'Paused'); } else { show('live', 'Live'); tick(); }
  });
  schedule();
}

document.addEventListener('DOMContentLoaded', function () {
  document.querySelectorAll('form[data-router-form]').forEach(function (form) {
    initAuthFields(form);
    initChecks(form);
  });
  document.querySelectorAll('form[data-confirm]').forEach(function (form) {
    form.addEventListener('submit', function (event) {
      if (!window.confirm(form.getAttribute('data-confirm'))) event.preventDefault();
    });
  });
  var live = document.querySelector('[data-live-url]');
  if (live) initLive(live);
});
`;
