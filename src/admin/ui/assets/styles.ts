/**
 * The admin page's whole stylesheet. Kept in a module (not a .css file) so `tsc` output is
 * self-contained: nothing to copy next to dist/, nothing read from disk at run time.
 */
export const STYLES = `
:root {
  --bg: #f6f7f9; --surface: #fff; --text: #1f2937; --muted: #5b6472; --border: #dde1e7;
  --accent: #1d4ed8; --accent-hover: #1e40af; --accent-soft: #e8efff; --topbar: #111827;
  --ok: #0f7a3d; --ok-bg: #e3f5ea; --warn: #8a5300; --warn-bg: #fff3d6; --bad: #b42318; --bad-bg: #fdecea;
  --idle: #475467; --idle-bg: #eef0f3; --radius: 8px; --focus: 0 0 0 3px rgba(29, 78, 216, .45);
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  font-size: 15px; line-height: 1.5; color: var(--text); background: var(--bg);
}
* { box-sizing: border-box; }
body { margin: 0; min-height: 100vh; display: flex; flex-direction: column; }
a { color: var(--accent); }
a:hover { color: var(--accent-hover); }
:focus-visible { outline: none; box-shadow: var(--focus); border-radius: 4px; }
code, pre, textarea.code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: 13px; }
.skip-link { position: absolute; left: -9999px; top: 8px; background: var(--surface); padding: 8px 12px; z-index: 10; }
.skip-link:focus { left: 8px; }
.visually-hidden { position: absolute !important; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }

.topbar { background: var(--topbar); color: #e5e7eb; }
.topbar-inner { max-width: 1280px; margin: 0 auto; padding: 0 24px; display: flex; align-items: center; gap: 32px; height: 56px; }
.brand { color: #fff; text-decoration: none; font-weight: 650; display: flex; align-items: center; gap: 10px; white-space: nowrap; }
.brand:hover { color: #fff; }
.brand-mark { width: 22px; height: 22px; border-radius: 6px; background: linear-gradient(135deg, #60a5fa, #1d4ed8); display: inline-block; }
.brand-sub { color: #9ca3af; font-weight: 500; }
.topbar nav ul { list-style: none; display: flex; gap: 4px; margin: 0; padding: 0; }
.topbar nav a { color: #d1d5db; text-decoration: none; padding: 6px 12px; border-radius: 6px; display: block; }
.topbar nav a:hover { background: rgba(255,255,255,.08); color: #fff; }
.topbar nav a[aria-current="page"] { background: rgba(255,255,255,.14); color: #fff; }
.signout { margin-left: auto; }

.container { max-width: 1280px; width: 100%; margin: 0 auto; padding: 28px 24px; }
main { flex: 1; }
main:focus { outline: none; }
.footer { color: var(--muted); font-size: 13px; padding-top: 0; }
h1 { font-size: 24px; margin: 0; font-weight: 650; letter-spacing: -0.01em; }
h2 { font-size: 17px; margin: 0 0 12px; font-weight: 620; }
.page-head { display: flex; align-items: flex-end; justify-content: space-between; gap: 16px; margin-bottom: 20px; flex-wrap: wrap; }
.page-head p { margin: 4px 0 0; color: var(--muted); }
.muted { color: var(--muted); }
.small { font-size: 13px; }

.card { background: var(--surface); border: 1px solid var(--border); border-radius: var(--radius); padding: 20px; margin-bottom: 20px; }
.card.flush { padding: 0; overflow-x: auto; }
.card > :first-child { margin-top: 0; }
.card > :last-child { margin-bottom: 0; }
.card.narrow { max-width: 760px; }
.stats { display: grid; grid-template-columns: repeat(auto-fit, minmax(160px, 1fr)); gap: 12px; margin: 0 0 20px; padding: 0; }
.stat { background: var(--surface); border: 1px solid var(--border); border-radius: var(--radius); padding: 14px 16px; margin: 0; }
.stat dt { color: var(--muted); font-size: 13px; }
.stat dd { margin: 2px 0 0; font-size: 26px; font-weight: 650; font-variant-numeric: tabular-nums; }

table { width: 100%; border-collapse: collapse; }
th, td { text-align: left; padding: 10px 12px; border-bottom: 1px solid var(--border); vertical-align: top; }
th:first-child, td:first-child { padding-left: 16px; }
th:last-child, td:last-child { padding-right: 16px; }
tbody th { font-weight: 500; }
table.middle tbody td, table.middle tbody th { vertical-align: middle; }
thead th { font-size: 12px; text-transform: uppercase; letter-spacing: .03em; color: var(--muted); font-weight: 600; background: #fafbfc; vertical-align: bottom; }
tbody tr:last-child > * { border-bottom: none; }
tbody tr:hover { background: #fafbff; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.num { white-space: nowrap; }
.url { min-width: 240px; max-width: 340px; overflow-wrap: break-word; }
.url .match code { font-size: 12px; overflow-wrap: anywhere; }
.router-id { font-weight: 400; }
td.error { max-width: 240px; font-size: 13px; color: var(--muted); }
/* Two lines at most; the whole error is in the title and on the edit page. */
td.error span { display: -webkit-box; -webkit-line-clamp: 2; -webkit-box-orient: vertical; overflow: hidden; overflow-wrap: anywhere; }
td.response { min-width: 280px; max-width: 420px; }
td.error .has-error { color: var(--bad); }
td.actions { white-space: nowrap; text-align: right; }
td.actions .btn + .btn, td.actions .btn + form, td.actions form + .btn, td.actions form + form { margin-left: 4px; }
td.actions form { display: inline; }
.retry-now { margin-top: 4px; }
.retry-now[hidden] { display: none; }
.empty { padding: 36px 20px; text-align: center; color: var(--muted); }

.badge { display: inline-block; font-size: 12px; font-weight: 600; padding: 2px 9px; border-radius: 999px; white-space: nowrap; background: var(--idle-bg); color: var(--idle); }
.badge-healthy, .badge-on { background: var(--ok-bg); color: var(--ok); }
.badge-circuit_open, .badge-rate_limited, .badge-retries_exhausted { background: var(--warn-bg); color: var(--warn); }
.badge-unauthorized, .badge-stopped, .badge-lrs_rejected { background: var(--bad-bg); color: var(--bad); }
.badge-backend { background: var(--accent-soft); color: var(--accent); text-transform: none; }

.btn { display: inline-flex; align-items: center; gap: 6px; font: inherit; font-size: 14px; font-weight: 560; padding: 7px 14px; border-radius: 6px; border: 1px solid var(--border); background: var(--surface); color: var(--text); cursor: pointer; text-decoration: none; line-height: 1.4; }
.btn:hover { background: #f2f4f7; color: var(--text); }
.btn-primary { background: var(--accent); border-color: var(--accent); color: #fff; }
.btn-primary:hover { background: var(--accent-hover); color: #fff; }
.btn-danger { color: var(--bad); border-color: #f1b7b0; }
.btn-danger:hover { background: var(--bad-bg); color: var(--bad); }
.btn-danger-solid { background: var(--bad); border-color: var(--bad); color: #fff; }
.btn-danger-solid:hover { background: #912018; color: #fff; }
.btn-ghost { background: transparent; border-color: rgba(255,255,255,.25); color: #e5e7eb; }
.btn-ghost:hover { background: rgba(255,255,255,.1); color: #fff; }
.btn-sm { padding: 4px 10px; font-size: 13px; }
.btn-row { display: flex; gap: 10px; flex-wrap: wrap; align-items: center; }

.notice { border-radius: var(--radius); padding: 12px 16px; margin-bottom: 20px; border: 1px solid; }
.notice-success { background: var(--ok-bg); border-color: #a6dbb9; color: #0b5a2d; }
.notice-error { background: var(--bad-bg); border-color: #f1b7b0; color: #8f1c13; }
.notice-warning { background: var(--warn-bg); border-color: #f0d08a; color: #6b4100; }
.notice ul { margin: 6px 0 0; padding-left: 20px; }

form.stacked { max-width: 760px; }
.field { margin-bottom: 18px; }
.field > label, fieldset legend, .label { display: block; font-weight: 600; margin-bottom: 6px; }
.hint { color: var(--muted); font-size: 13px; margin: 4px 0 0; }
input[type=text], input[type=password], input[type=url], select, textarea {
  width: 100%; font: inherit; padding: 8px 10px; border: 1px solid #c6ccd5; border-radius: 6px; background: #fff; color: var(--text);
}
textarea.code { min-height: 240px; resize: vertical; line-height: 1.45; tab-size: 2; }
input:focus, select:focus, textarea:focus { outline: none; border-color: var(--accent); box-shadow: var(--focus); }
[aria-invalid="true"] { border-color: var(--bad) !important; }
fieldset { border: 1px solid var(--border); border-radius: var(--radius); padding: 14px 16px 4px; margin: 0 0 18px; }
fieldset.plain { border: 0; padding: 0; margin: 0 0 6px; min-width: 0; }
fieldset.plain legend { padding: 0; }
/* Without the script every scheme's fields show; the server ignores those of other schemes. */
html:not(.js) [data-auth][hidden] { display: block; }
.choices { display: flex; gap: 20px; flex-wrap: wrap; margin-bottom: 10px; }
.choice { display: inline-flex; align-items: center; gap: 6px; font-weight: 500; }
.choice input { width: 16px; height: 16px; margin: 0; accent-color: var(--accent); }
.grid-2 { display: grid; grid-template-columns: 1fr 1fr; gap: 14px; }
.field-error { color: var(--bad); font-size: 13px; margin: 6px 0 0; }
.field-error:empty { display: none; }
.field-error ul, .field-warnings ul { margin: 0; padding-left: 18px; }
.field-warnings { color: var(--warn); font-size: 13px; margin: 6px 0 0; }
.field-warnings:empty { display: none; }
.backend-off { color: var(--warn); margin-top: 4px; max-width: 22em; }
.json-excerpt { background: #fff6f5; border: 1px solid #f1b7b0; border-radius: 6px; padding: 8px 10px; margin: 6px 0 0; overflow-x: auto; color: #5c130c; }
.check-ok { color: var(--ok); font-size: 13px; margin: 6px 0 0; }
.check-ok:empty { display: none; }
.form-actions { display: flex; gap: 10px; align-items: center; margin-top: 24px; padding-top: 18px; border-top: 1px solid var(--border); }
.form-layout { display: grid; grid-template-columns: minmax(0, 780px) minmax(260px, 1fr); gap: 24px; align-items: start; }
.form-layout aside h2 { font-size: 15px; }
.form-layout aside p, .form-layout aside li { font-size: 13px; color: var(--muted); }
.form-layout aside pre { background: #f7f8fa; border: 1px solid var(--border); border-radius: 6px; padding: 8px 10px; overflow-x: auto; margin: 6px 0 12px; }
.form-layout aside pre.wrap { white-space: pre-wrap; overflow-wrap: anywhere; }
.form-layout aside ul { padding-left: 18px; margin: 6px 0 0; }

.login-wrap { flex: 1; display: flex; align-items: center; justify-content: center; padding: 40px 16px; }
.login-card { width: 100%; max-width: 400px; background: var(--surface); border: 1px solid var(--border); border-radius: 12px; padding: 32px; box-shadow: 0 8px 30px rgba(17, 24, 39, .06); }
.login-card h1 { font-size: 22px; margin-bottom: 4px; }
.login-card .brand { color: var(--text); margin-bottom: 20px; }
.login-card .btn-primary { width: 100%; justify-content: center; padding: 9px 14px; }

.toolbar { display: flex; gap: 12px; align-items: flex-end; flex-wrap: wrap; margin-bottom: 16px; }
.toolbar .field { margin: 0; min-width: 320px; }
.live-status { display: inline-flex; align-items: center; gap: 10px; color: var(--muted); font-size: 13px; }
.live-dot { width: 8px; height: 8px; border-radius: 50%; background: var(--ok); display: inline-block; }
.live-status[data-state="paused"] .live-dot { background: #9ca3af; }
.live-status[data-state="error"] .live-dot { background: var(--bad); }
details summary { cursor: pointer; color: var(--accent); font-size: 13px; }
details pre { white-space: pre-wrap; overflow-wrap: anywhere; max-height: 260px; overflow: auto; background: #f7f8fa; border: 1px solid var(--border); border-radius: 6px; padding: 8px 10px; margin: 6px 0 0; }
.response-line { font-size: 13px; }
.pager { display: flex; justify-content: space-between; align-items: center; padding: 12px 14px; border-top: 1px solid var(--border); font-size: 13px; color: var(--muted); }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 6px 16px; margin: 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
.router-status { margin-bottom: 20px; }
.charts { margin-bottom: 20px; }
.chart-title { font-size: 15px; margin: 0 0 4px; }
.chart-row { display: flex; gap: 24px; flex-wrap: wrap; }
.chart-row figure { margin: 0; }
.chart-row figcaption { font-size: 12px; color: var(--muted); margin-bottom: 2px; }
svg.spark { display: block; overflow: visible; }
svg.spark polyline { fill: none; stroke-width: 1.5; stroke-linejoin: round; }
svg.spark .spark-base { stroke: var(--border); stroke-width: 1; }
svg.spark .spark-received { stroke: #2563eb; }
svg.spark .spark-delivered { stroke: #15803d; }
svg.spark .spark-queued { stroke: #b45309; }
svg.spark .spark-failed { stroke: #b91c1c; }
.key { border-left: 10px solid; padding-left: 4px; margin-right: 10px; }
.key-received { border-color: #2563eb; }
.key-delivered { border-color: #15803d; }
.key-queued { border-color: #b45309; }
.key-failed { border-color: #b91c1c; }
.router-status dl.facts { grid-template-columns: max-content 1fr max-content 1fr max-content 1fr; align-items: baseline; }
@media (max-width: 720px) {
  .topbar-inner { gap: 12px; padding: 0 12px; }
  .brand-sub { display: none; }
  .grid-2, .form-layout { grid-template-columns: 1fr; }
}
@media (max-width: 1100px) { .form-layout { grid-template-columns: 1fr; } }
html:not(.js) [data-live-toggle] { display: none; }
`;
