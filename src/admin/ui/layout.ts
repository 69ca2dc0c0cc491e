import { SCRIPT_ASSET, STYLE_ASSET } from './assets.js';
import { html, type SafeHtml } from './html.js';
import type { Session } from './session.js';

export type Section = 'overview' | 'routers' | 'dead-letters';

export interface Notice {
  readonly kind: 'success' | 'error' | 'warning';
  readonly text: string;
}

export interface PageOptions {
  readonly title: string;
  /** The signed-in session: shows the navigation and sign-out, and carries the CSRF token. */
  readonly session?: Session | undefined;
  readonly section?: Section;
  readonly notice?: Notice | undefined;
  readonly body: SafeHtml;
}

const NAV: ReadonlyArray<{ section: Section; href: string; label: string }> = [
  { section: 'overview', href: '/admin', label: 'Overview' },
  { section: 'routers', href: '/admin/routers', label: 'Routers' },
  { section: 'dead-letters', href: '/admin/dead-letters', label: 'Dead letters' },
];

function head(title: string, session: Session | undefined): SafeHtml {
  return html`<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
${session !== undefined ? html`<meta name="csrf-token" content="${session.csrfToken}">` : ''}
<title>${title} · edX Event Router</title>
<link rel="stylesheet" href="${STYLE_ASSET.path}">
<script src="${SCRIPT_ASSET.path}"></script>
</head>`;
}

export function brand(): SafeHtml {
  return html`<a class="brand" href="/admin"><span class="brand-mark" aria-hidden="true"></span>edX Event Router <span class="brand-sub">Admin</span></a>`;
}

export function notice(value: Notice | undefined): SafeHtml | '' {
  if (value === undefined) return '';
  return html`<div class="notice notice-${value.kind}" role="${value.kind === 'error' ? 'alert' : 'status'}">${value.text}</div>`;
}

/** A whole page: top bar with navigation and sign-out, then the content. */
export function renderPage(options: PageOptions): string {
  const { session } = options;
  const nav = NAV.map((item) => html`<li><a href="${item.href}"${item.section === options.section ? html` aria-current="page"` : ''}>${item.label}</a></li>`);
  return `<!doctype html>\n${html`<html lang="en">
${head(options.title, session)}
<body>
<a class="skip-link" href="#main">Skip to content</a>
<header class="topbar">
  <div class="topbar-inner">
    ${brand()}
    ${
      session !== undefined
        ? html`<nav aria-label="Main"><ul>${nav}</ul></nav>
    <form class="signout" method="post" action="/admin/logout">
      <input type="hidden" name="_csrf" value="${session.csrfToken}">
      <button type="submit" class="btn btn-ghost btn-sm">Sign out</button>
    </form>`
        : ''
    }
  </div>
</header>
<main id="main" class="container" tabindex="-1">
${notice(options.notice)}
${options.body}
</main>
<footer class="container footer">edX Event Router · routes Open edX events to xAPI and Caliper LRSs</footer>
</body>
</html>`}`;
}

/** The sign-in page has no top-bar navigation: only the card. */
export function renderBarePage(title: string, body: SafeHtml): string {
  return `<!doctype html>\n${html`<html lang="en">
${head(title, undefined)}
<body>
<main id="main" class="login-wrap">${body}</main>
</body>
</html>`}`;
}

/** A page-level heading block with an optional lead line and actions on the right. */
export function pageHead(title: string, lead?: SafeHtml | string, actions?: SafeHtml): SafeHtml {
  return html`<div class="page-head"><div><h1>${title}</h1>${lead !== undefined ? html`<p>${lead}</p>` : ''}</div>${actions ?? ''}</div>`;
}
