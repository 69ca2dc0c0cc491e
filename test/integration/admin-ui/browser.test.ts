import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { idOf, lrsAccepts, startFakeLrs, type FakeLrs } from '../../fakes/fake-lrs.js';
import { buildEvents, serviceContext, transformed } from '../service/events.js';
import {
  ADMIN_TOKEN,
  baseSettings,
  call,
  eventually,
  metric,
  postEvents,
  scratch,
  startService,
  waitForRouters,
  type RunningService,
} from '../service/support.js';
import { browserMissing, openBrowser, type BrowserSession } from './browser.js';

/**
 * The admin page of the real `serve` (a child process on loopback, SQLite in a scratch data
 * directory) in Debian's Chromium, driven by playwright-core, as an operator would use it: sign
 * in, add a router through the form, POST events to /events and watch them reach a fake LRS and
 * the page's counters, edit the router with a bad regex, work the dead letters, delete the router
 * with statements still queued, sign out. Screenshots of each page go to test-output/admin-ui/.
 */
const missing = browserMissing();

/** What the router's match_params select (`name`: "^edx\\.ui", "^edx\\.video"), written out by hand. */
const SELECTED = /^edx\.ui|^edx\.video/;
const ctx = serviceContext();
const selected = (events: Record<string, unknown>[]): Record<string, unknown>[] => events.filter((e) => SELECTED.test(String(e['name'])));
const statementIds = (events: Record<string, unknown>[]): string[] => events.flatMap((e) => transformed('xapi', e, ctx)).map(idOf);
const ndjson = (events: Record<string, unknown>[]): string[] => events.map((e) => JSON.stringify(e));

if (missing !== undefined && process.env['CI'] === 'true') {
  it('runs the admin page in Chromium', () => assert.fail(`CI=true, so the browser tests must run, but ${missing}`));
} else if (missing !== undefined) {
  console.log(`admin UI browser tests skipped: ${missing}`);
  describe('admin UI in Chromium', { skip: missing }, () => {});
} else {
  describe('admin UI of the running service in Chromium', { timeout: 300_000 }, () => {
    const dir = scratch('admin-ui-browser');
    let lrs: FakeLrs;
    let service: RunningService;
    let browser: BrowserSession;
    let page: Page;
    let base = '';
    let routerId = '';
    let routeUrl = '';
    const password = 'browser-PASSWORD-0003';

    before(async () => {
      lrs = await startFakeLrs();
      routeUrl = `${lrs.url}xapi/`;
      // Log level info: the router changes are logged, so the secret check below means something.
      service = await startService(dir.path, { ...baseSettings(join(dir.path, 'data')), EVENT_ROUTER_LOG_LEVEL: 'info' });
      base = service.url;
      browser = await openBrowser();
      page = browser.page;
    });
    after(async () => {
      await browser?.close();
      if (service !== undefined && service.child.exitCode === null) await service.stop('SIGKILL');
      await lrs?.close();
      dir.remove();
    });

    const live = (key: string) => page.locator(`[data-live="${key}"]`).first();
    const queueOf = async (): Promise<{ depth: number; deadLetters: number } | undefined> =>
      ((await call(base, 'GET', '/api/queue')).json.routers as Array<{ routerId: string; depth: number; deadLetters: number }>).find(
        (r) => r.routerId === routerId,
      );

    it('signs in with user admin and the admin token, with a session cookie the page cannot read', async () => {
      await page.goto(`${base}/admin`);
      assert.match(page.url(), /\/admin\/login\?next=%2Fadmin$/);
      await browser.screenshot('01-sign-in');
      await page.getByLabel('Password').fill('wrong-password');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByText('Wrong username or password.').waitFor();
      await page.getByLabel('Password').fill(ADMIN_TOKEN);
      await page.getByLabel('Password').press('Enter');
      await page.getByRole('heading', { name: 'Overview' }).waitFor();
      assert.equal(new URL(page.url()).pathname, '/admin');
      const cookies = await page.context().cookies(`${base}/admin`);
      const session = cookies.find((c) => c.name === 'edxr_admin_session');
      assert.ok(session, 'the session cookie is set');
      assert.deepEqual([session.httpOnly, session.sameSite, session.path], [true, 'Strict', '/admin']);
      assert.equal(await page.evaluate(() => (globalThis as any).document.cookie), '', 'no script can read it');
      await browser.screenshot('02-overview-empty');
    });

    it('adds a router through the form, with fields that follow the auth scheme (also by keyboard) and a live JSON check', async () => {
      await page.getByRole('link', { name: 'Routers', exact: true }).click();
      await page.getByRole('link', { name: 'Add router' }).focus();
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: 'Add router' }).waitFor();
      await page.getByLabel('Backend', { exact: true }).selectOption('xapi');
      await page.getByLabel('Route URL').fill(routeUrl);

      await page.getByLabel('Bearer token').check();
      assert.equal(await page.getByLabel('Token', { exact: true }).isVisible(), true);
      assert.equal(await page.getByLabel('Username').isVisible(), false);
      await page.getByLabel('None', { exact: true }).check();
      assert.equal(await page.getByLabel('Token', { exact: true }).isVisible(), false);
      assert.equal(await page.getByLabel('Password').isVisible(), false);
      // A radio group moves with the arrow keys: None → Basic shows the Basic fields.
      await page.getByLabel('None', { exact: true }).focus();
      await page.keyboard.press('ArrowRight');
      assert.equal(await page.getByLabel('Basic', { exact: true }).isChecked(), true);
      await page.getByLabel('Username').waitFor();
      await page.getByLabel('Username').fill('lrs-key');
      await page.getByLabel('Password').fill(password);

      const box = page.getByLabel('Configurations (JSON, as in event-routing-backends)');
      await box.fill('{\n  "match_params": {\n    "name": "^edx\\\\.ui"\n  },\n  "override_args": {"version": "1.0.3",}\n}');
      await page.locator('#error-configurations').getByText('JSON error on line 5').waitFor();
      assert.equal(await box.getAttribute('aria-invalid'), 'true');
      await browser.screenshot('03-router-form-json-error');
      await page.getByRole('button', { name: 'Go to line 5' }).click();
      const caret = await box.evaluate((el: any) => [el === el.ownerDocument.activeElement, el.value.slice(el.selectionStart, el.selectionEnd)]);
      assert.deepEqual(caret, [true, '}'], 'the cursor lands on the error');

      await box.fill('{\n  "match_params": {"name": ["^edx\\\\.ui", "^edx\\\\.video"]},\n  "extra_setting": true\n}');
      await page.getByText('extra_setting: not used').waitFor();
      await page.getByText('Valid: the JSON parses and every pattern compiles.').waitFor();
      await browser.screenshot('04-router-form-valid');

      await page.getByRole('button', { name: 'Create router' }).click();
      await page.getByText('Router created.').waitFor();
      const [router] = (await call(base, 'GET', '/api/routers')).json.routers as Array<Record<string, any>>;
      assert.ok(router);
      routerId = router['id'];
      assert.deepEqual([router['routeUrl'], router['authScheme'], router['username'], router['hasPassword']], [routeUrl, 'basic', 'lrs-key', true]);
      assert.equal((await page.content()).includes(password), false);
    });

    it('delivers the events POSTed to /events and counts them on the overview without a reload', async () => {
      await page.getByRole('link', { name: 'Overview' }).click();
      await page.getByRole('heading', { name: 'Overview' }).waitFor();
      const events = buildEvents(81);
      const expected = new Set(statementIds(selected(events)));
      assert.ok(expected.size > 5, 'the samples hold edx.ui and edx.video events');
      // Until the pipeline has seen the new router, events would match no router; the overview shows it once delivery has a worker.
      await live(`${routerId}|health`).filter({ hasText: 'Healthy' }).waitFor({ timeout: 20_000 });
      await waitForRouters(base, 1);
      await postEvents(base, ndjson(events));
      await lrs.waitFor(() => [...expected].every((id) => lrs.acceptedIds().includes(id)), 60_000, `${expected.size} statements at the fake LRS`);
      assert.deepEqual(new Set(lrs.acceptedIds()), expected, 'only the events the router selects');
      const auth = lrs.requests[0]?.headers.authorization ?? '';
      assert.equal(Buffer.from(auth.replace(/^Basic /, ''), 'base64').toString(), `lrs-key:${password}`);
      // Received counts what was queued; delivered counts every acknowledged send (a resend after a timeout too).
      const received = String(expected.size);
      const delivered = String(lrs.acceptedIds().length);
      await live(`${routerId}|received`)
        .filter({ hasText: new RegExp(`^${received}$`) })
        .waitFor({ timeout: 20_000 });
      await live(`${routerId}|delivered`)
        .filter({ hasText: new RegExp(`^${delivered}$`) })
        .waitFor({ timeout: 20_000 });
      await live('total|delivered')
        .filter({ hasText: new RegExp(`^${delivered}$`) })
        .waitFor({ timeout: 20_000 });
      await browser.screenshot('05-overview-live');
    });

    it('lists the router with its delivery state', async () => {
      await page.getByRole('link', { name: 'Routers', exact: true }).click();
      const row = page.getByRole('row').filter({ hasText: routeUrl });
      await row.getByText('Healthy').waitFor();
      assert.equal(await live(`${routerId}|delivered`).textContent(), String(lrs.acceptedIds().length));
      await browser.screenshot('06-routers');
    });

    it('edits the router with a bad regex and sees the error, before and on save', async () => {
      await page.getByRole('link', { name: `Edit router ${routeUrl}` }).click();
      const passwordBox = page.getByLabel('Password');
      assert.equal(await passwordBox.inputValue(), '');
      assert.equal(await passwordBox.getAttribute('placeholder'), 'Stored: leave unchanged');
      assert.equal((await page.content()).includes(password), false, 'the stored password is never sent back');
      const box = page.getByLabel('Configurations (JSON, as in event-routing-backends)');
      await box.fill('{"match_params": {"name": ["^edx\\\\.ui", "video(?!_end)"]}}');
      const error = page.locator('#error-configurations');
      await error.getByText(/match_params\.name\[1\]: invalid regular expression "video\(\?!_end\)"/).waitFor();
      await browser.screenshot('07-edit-bad-regex');
      await page.getByRole('button', { name: 'Save changes' }).click();
      await page.getByText(/The router was not saved/).waitFor();
      await error.getByText(/invalid regular expression/).waitFor();
      const stored = (await call(base, 'GET', `/api/routers/${routerId}`)).json.router;
      assert.deepEqual(stored.configurations, { match_params: { name: ['^edx\\.ui', '^edx\\.video'] }, extra_setting: true });
      await browser.screenshot('08-edit-refused');
    });

    it('browses dead letters with their reason and response, retries one and purges the rest', async () => {
      lrs.respondWith(() => ({ status: 400, body: { error: 'Statement "verb" is not allowed by <this> LRS' } }));
      const refused = selected(buildEvents(81, 81))
        .filter((e) => transformed('xapi', e, ctx).length === 1)
        .slice(0, 2);
      const ids = statementIds(refused);
      assert.equal(ids.length, 2);
      await postEvents(base, ndjson(refused));
      await eventually(
        async () => (await queueOf())?.deadLetters === 2,
        30_000,
        () => 'two dead letters',
      );
      lrs.respondWith(lrsAccepts);
      await page.getByRole('link', { name: 'Overview' }).click();
      await live(`${routerId}|deadLettered`).filter({ hasText: /^2$/ }).waitFor({ timeout: 20_000 });
      await live('total|deadLetters').filter({ hasText: /^2$/ }).waitFor({ timeout: 20_000 });

      await page.getByRole('link', { name: 'Dead letters', exact: true }).click();
      await page.getByLabel('Router', { exact: true }).selectOption(routerId);
      await page.getByRole('button', { name: 'Show' }).click();
      await page.getByText('Refused by the LRS').first().waitFor();
      await page.getByText('HTTP 400').first().waitFor();
      await page.getByText('Response body').first().click();
      await page.getByText('is not allowed by <this> LRS').first().waitFor();
      await browser.screenshot('09-dead-letters');

      await page.getByRole('button', { name: `Retry dead letter ${ids[0]}` }).click();
      await page.getByText('1 dead letter moved back to the outbox').waitFor();
      await lrs.waitFor(() => lrs.acceptedIds().includes(ids[0] ?? ''), 30_000, 'the retried statement');

      page.once('dialog', (dialog) => void dialog.accept());
      await page.getByRole('button', { name: 'Purge all 1' }).click();
      await page.getByText('1 dead letter purged.').waitFor();
      await page.getByText('No dead letters for this router.').waitFor();
      assert.equal((await call(base, 'GET', `/api/dead-letters?routerId=${routerId}`)).json.deadLetters.length, 0);
      assert.equal(lrs.acceptedIds().includes(ids[1] ?? ''), false);
    });

    it('labels every form control and starts keyboard focus at the skip link', async () => {
      for (const path of ['/admin/routers/new', `/admin/routers/${routerId}`, '/admin/dead-letters', `/admin/routers/${routerId}/delete`]) {
        await page.goto(`${base}${path}`);
        // The callback runs in the page; the project compiles without DOM types, hence `any`.
        const unlabelled = await page.$$eval('input:not([type=hidden]), select, textarea, button', (elements: any[]) =>
          elements
            .filter((el) => {
              const labels = el.labels as unknown[] | null;
              const name = el.getAttribute('aria-label') ?? (el.tagName === 'BUTTON' ? el.textContent?.trim() : '');
              return (labels === null || labels.length === 0) && !name;
            })
            .map((el) => String(el.outerHTML).slice(0, 80)),
        );
        assert.deepEqual(unlabelled, [], path);
      }
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate(() => (globalThis as any).document.activeElement?.textContent), 'Skip to content');
    });

    it('refuses a change posted from a page of another origin', async () => {
      // A page served by the fake LRS (another port, so another origin) posting a router form to
      // the admin page, as a hostile page on the same host could: the Origin check refuses it.
      lrs.script({
        status: 200,
        headers: { 'content-type': 'text/html' },
        body: `<form id="f" method="post" action="${base}/admin/routers"><input name="backend" value="xapi"><input name="routeUrl" value="https://evil.example/"><input name="authScheme" value="none"></form>`,
      });
      await page.goto(`${lrs.url}attack`);
      await Promise.all([page.waitForURL(`${base}/admin/routers`), page.evaluate(() => (globalThis as any).document.getElementById('f').submit())]);
      await page.getByRole('heading', { name: 'Request refused' }).waitFor();
      await page.getByText('This request came from another site, so it was refused.').waitFor();
      const urls = ((await call(base, 'GET', '/api/routers')).json.routers as Array<{ routeUrl: string }>).map((r) => r.routeUrl);
      assert.deepEqual(urls, [routeUrl]);
    });

    it('disables and enables the router, then deletes it with its queued statements after ticking the confirmation', async () => {
      await page.goto(`${base}/admin/routers`);
      await page.getByRole('button', { name: `Disable router ${routeUrl}` }).click();
      await page.getByText('Router disabled').waitFor();
      assert.equal((await call(base, 'GET', `/api/routers/${routerId}`)).json.router.enabled, false);
      await page.getByRole('button', { name: `Enable router ${routeUrl}` }).click();
      await page.getByText('Router enabled.').waitFor();
      assert.equal((await call(base, 'GET', `/api/routers/${routerId}`)).json.router.enabled, true);

      // The LRS is down: the next events stay queued for the router.
      lrs.respondWith(() => ({ status: 503, body: { error: 'maintenance' } }));
      const waiting = selected(buildEvents(81, 162));
      const queued = statementIds(waiting).length;
      await waitForRouters(base, 1);
      await postEvents(base, ndjson(waiting));
      await eventually(
        async () => (await queueOf())?.depth === queued,
        30_000,
        () => `${queued} queued statements`,
      );
      // The list shows them queued and the failed attempts counting up, by itself.
      await page.goto(`${base}/admin/routers`);
      await live(`${routerId}|depth`)
        .filter({ hasText: new RegExp(`^${queued}$`) })
        .waitFor({ timeout: 20_000 });
      await live(`${routerId}|failed`)
        .filter({ hasText: /^[1-9]/ })
        .waitFor({ timeout: 20_000 });
      await live(`${routerId}|health`).filter({ hasText: 'Circuit open' }).waitFor({ timeout: 20_000 });
      await browser.screenshot('10-routers-circuit-open');

      await page.getByRole('link', { name: `Delete router ${routeUrl}` }).click();
      await page.getByRole('heading', { name: 'Delete router' }).waitFor();
      await page.getByText(`It has ${queued} queued statements and 0 dead letters`).waitFor();
      await browser.screenshot('11-delete-confirm');
      // Without the box ticked the browser does not send the form (and the server would refuse it).
      await page.getByRole('button', { name: 'Delete router' }).click();
      assert.match(page.url(), /\/delete$/);
      assert.equal((await call(base, 'GET', `/api/routers/${routerId}`)).status, 200);
      await page.getByLabel(`Discard its ${queued} queued statements and 0 dead letters`).check();
      await page.getByRole('button', { name: 'Delete router' }).click();
      await page.getByText(`Router deleted. Discarded with it: ${queued} queued statements and 0 dead letters.`).waitFor();
      await page.getByText('No routers yet.').waitFor();
      await browser.screenshot('12-deleted');
      assert.equal((await call(base, 'GET', `/api/routers/${routerId}`)).status, 404);
      assert.equal(await queueOf(), undefined, 'its statements left the outbox with it');
      assert.equal(await metric(base, 'edx_event_router_events_dropped_total', { reason: 'router_deleted', destination: routerId }), queued);
    });

    it('signs out, and never logged a secret', async () => {
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByText('You are signed out.').waitFor();
      await page.goto(`${base}/admin/routers`);
      assert.match(page.url(), /\/admin\/login/);
      const logs = service.stdout() + service.stderr();
      assert.match(logs, /router created/);
      assert.equal(logs.includes(password), false);
      assert.equal(logs.includes(ADMIN_TOKEN), false);
      assert.equal((await service.stop('SIGTERM')).code, 0);
    });
  });
}
