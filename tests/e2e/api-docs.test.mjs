// The API reference at /api/docs (docs/api.md): reached from the console's
// user menu, rendered by Redoc from the served OpenAPI document with nothing
// fetched from another host and no Content-Security-Policy violation; an
// operation is found by its summary and the page passes the axe scan. The
// reference's code is its own bundle, which the sign-in page never loads.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { accessibilityProblems } from './lib/axe.mjs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { launch, SCREENSHOT_DIR, settled } from './lib/browser.mjs';
import { Roster } from './lib/roster.mjs';
import { setNewPassword, signIn } from './lib/ui.mjs';

const PASSWORD = 'violet-harbor-quantum-lantern-58';

let roster;
let base;
let browser;
let page;
const requests = [];
const cspViolations = [];
const pageErrors = [];

describe('the API reference', () => {
  before(async () => {
    roster = await Roster.start();
    const otp = await roster.createOrganization('Acme Sales', 'ada@acme.test', 'Ada Admin');
    base = await roster.serve();
    browser = await launch();
    page = await browser.context.newPage();
    page.on('request', (request) => requests.push(request.url()));
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
    });
    await signIn(page, base, 'ada@acme.test', otp);
    await setNewPassword(page, PASSWORD);
    await page.getByRole('heading', { name: 'Org users' }).waitFor();
  });

  after(async () => {
    if (browser) await browser.close();
    if (roster) await roster.stop();
  });

  it('the sign-in page loads none of the reference', () => {
    const reference = requests.filter((url) => /\/assets\/api-docs-/.test(url));
    assert.deepEqual(reference, [], 'the console loaded the reference bundle');
  });

  it('opens from the user menu and lists every operation by its summary', async () => {
    await page.getByRole('button', { name: 'Ada Admin, account menu' }).click();
    await page.getByRole('menuitem', { name: 'API reference' }).click();
    await page.waitForURL(`${base}/api/docs`);
    await page.getByRole('heading', { name: 'Roster API', level: 1 }).waitFor({ timeout: 20000 });
    const document = await (await fetch(`${base}/api/v1/openapi.json`)).json();
    const summaries = Object.values(document.paths).flatMap((item) => Object.values(item).map((op) => op.summary));
    const sidebar = page.locator('.menu-content');
    for (const summary of summaries) {
      assert.ok(await sidebar.getByText(summary, { exact: true }).count() > 0, `the sidebar lists "${summary}"`);
    }
  });

  it('finds an operation by its summary and shows its request and answers', async () => {
    const summary = 'Sign in with a password or a one-time password';
    await page.locator('.menu-content').getByText(summary, { exact: true }).click();
    const heading = page.getByRole('heading', { name: summary, level: 2 });
    await heading.waitFor();
    await heading.scrollIntoViewIfNeeded();
    const operation = page.locator('[data-section-id="operation/login"]');
    await operation.getByText('/api/v1/auth/login').first().waitFor();
    assert.match(await operation.innerText(), /429/, 'the operation shows its 429 answer');
    // The window only: the whole reference is too long a page to photograph.
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    await settled(page);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'api-docs-01-sign-in-operation.png') });
  });

  it('passes the accessibility scan', async () => {
    await page.evaluate(() => window.scrollTo(0, 0));
    await settled(page);
    const problems = await accessibilityProblems(page);
    assert.deepEqual(problems, [], `accessibility problems on /api/docs:\n${problems.join('\n')}`);
  });

  it('fetched nothing from another host and broke no CSP rule', () => {
    const origin = new URL(base).origin;
    const foreign = requests.filter((url) => !url.startsWith(`${origin}/`) && !url.startsWith('data:'));
    assert.deepEqual(foreign, [], 'requests to another host');
    assert.ok(requests.some((url) => url === `${origin}/api/v1/openapi.json`), 'the reference read the served document');
    assert.deepEqual(cspViolations, [], 'Content-Security-Policy violations');
    assert.deepEqual(pageErrors, [], 'errors in the page');
  });

  it('is answered with the same strict script policy as the console', async () => {
    const response = await fetch(`${base}/api/docs`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /text\/html/);
    const csp = response.headers.get('content-security-policy') ?? '';
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.doesNotMatch(csp, /unsafe-eval/);
    const html = await response.text();
    for (const [, attributes, body] of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)) {
      assert.match(attributes, /src="\/assets\/[^"]+\.js"/);
      assert.equal(body.trim(), '', 'no inline script');
    }
  });
});
