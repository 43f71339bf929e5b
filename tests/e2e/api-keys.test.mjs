// The console's API keys page end to end, against a real `roster serve`
// (SPEC.md section 7): an admin creates a key, copies it from the dialog
// that shows it once, the key reads the organization through the API, the
// admin revokes it and the same call is refused; the audit log names a key
// that acted; more keys than a page come with "Load more"; a normal user has
// no such page. Every step saves a
// screenshot to test-results/e2e/ and checks the page with axe-core.
//
// The steps build on each other; after a failure the rest are skipped.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { launch, screenshot, settled } from './lib/browser.mjs';
import { Roster } from './lib/roster.mjs';
import { story } from './lib/story.mjs';
import {
  choose, expectToast, expectToastInBox, focusOn, navigate, row, setNewPassword, signIn, waitForTableIdle,
} from './lib/ui.mjs';

const PASSWORDS = {
  ada: 'violet-harbor-quantum-lantern-58',
  bea: 'copper-meadow-signal-orchid-731',
};

let roster;
let base;
let adaOtp;
const browsers = {};
const pages = {};
const cspViolations = [];
/** The keys the page showed once, kept to call the API with them. */
let crmKey;
let nightlyKey;
/** A name as long as the field takes, without a space to wrap at. */
const LONG_NAME = `Long${'N'.repeat(196)}`;

/** One step of the story: skipped once an earlier step failed. */
const { step, record } = story('api-keys', { pages: () => pages, cspViolations });

/** Screenshot plus accessibility scan of what `page` shows now. */
async function personPage(who) {
  browsers[who] = await launch();
  await browsers[who].context.grantPermissions(['clipboard-read', 'clipboard-write']);
  pages[who] = await browsers[who].context.newPage();
  pages[who].on('pageerror', (error) => console.error(`[${who}] page error: ${error.message}`));
  pages[who].on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) cspViolations.push(`[${who}] ${message.text()}`);
  });
  return pages[who];
}

/** GET /orgs/1/members as a script would: the key alone, no cookie. */
function membersWithKey(key) {
  return fetch(`${base}/api/v1/orgs/1/members`, { headers: { Authorization: `Bearer ${key}`, Accept: 'application/json' } });
}

/** The "Last used" cell of a key's row. */
function lastUsed(page, name) {
  return row(page, name).locator('td').nth(6);
}

/** A state-changing API call in `page`'s session (its cookie and the CSRF header). */
async function postAs(page, path, data) {
  const response = await page.request.post(`${base}/api/v1${path}`, { data, headers: { 'X-Requested-With': 'roster' } });
  assert.ok(response.ok(), `POST ${path} answered ${response.status()}: ${await response.text()}`);
  return response.json();
}

async function apiKeysPage(page) {
  await page.getByRole('heading', { name: 'API keys' }).waitFor();
  await waitForTableIdle(page);
}

/** In the "Create API key" dialog: fills the form and submits it. */
async function createKey(page, { name, scope, expires }) {
  await page.locator('#main').getByRole('button', { name: 'Create API key' }).click();
  const dialog = page.getByRole('dialog', { name: 'Create API key' });
  await dialog.getByLabel('Name').fill(name);
  await dialog.getByRole('radio', { name: new RegExp(`^${scope}`) }).check();
  if (expires) await dialog.getByLabel('Expires').fill(expires);
  return dialog;
}

describe('API keys in the console', () => {
  before(async () => {
    roster = await Roster.start();
    adaOtp = await roster.createOrganization('Acme Sales', 'ada@acme.test', 'Ada Admin');
    base = await roster.serve();
  });

  after(async () => {
    for (const browser of Object.values(browsers)) await browser.close().catch(() => {});
    if (roster) await roster.stop();
  });

  step('the admin signs in and opens "API keys", which explains what keys are for', async () => {
    const page = await personPage('ada');
    await signIn(page, base, 'ada@acme.test', adaOtp);
    await page.waitForURL(/\/password$/);
    await setNewPassword(page, PASSWORDS.ada);
    await page.waitForURL(/\/orgs\/1\/users$/);
    await navigate(page, 'API keys');
    await page.waitForURL(/\/orgs\/1\/api-keys$/);
    await apiKeysPage(page);
    await page.getByText('No API keys yet.').waitFor();
    for (const scope of ['Admin', 'Read', 'SCIM']) {
      await page.locator('.scope-legend').getByText(scope, { exact: true }).waitFor();
    }
    await page.locator('.scope-legend').getByText('except managing API keys and webhooks').waitFor();
    await record(page, 'empty');
  });

  step('an expiry in the past is refused before anything is sent', async () => {
    const page = pages.ada;
    const dialog = await createKey(page, { name: 'Too late', scope: 'Read', expires: '2020-01-01' });
    await dialog.getByRole('button', { name: 'Create API key' }).click();
    await dialog.getByText('Choose a day after today.').waitFor();
    await record(page, 'create-dialog-past-expiry');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
  });

  step('"Create API key" shows the key once, in a dialog that stays until it is copied', async () => {
    const page = pages.ada;
    const dialog = await createKey(page, { name: 'CRM sync', scope: 'Read' });
    await dialog.getByText('Only provisioning from an identity provider (SCIM 2.0).').waitFor();
    await record(page, 'create-dialog');
    await dialog.getByRole('button', { name: 'Create API key' }).click();
    await expectToast(page, 'API key CRM sync created.');

    const shown = page.getByRole('dialog', { name: 'Copy your new API key' });
    await shown.getByText('It will not be shown again.').waitFor();
    crmKey = await shown.getByLabel('API key').inputValue();
    assert.match(crmKey, /^rk_[A-Za-z0-9_-]{43,}$/, 'the key is rk_ and at least 256 bits');
    const done = shown.getByRole('button', { name: 'Done' });
    assert.equal(await done.isDisabled(), true, '"Done" waits for "I have copied the key"');

    // Neither Escape nor a click outside closes it yet.
    await page.keyboard.press('Escape');
    await page.mouse.click(8, 8);
    await settled(page);
    assert.equal(await shown.isVisible(), true, 'the dialog closed before the key was copied');

    await shown.getByRole('button', { name: 'Copy' }).click();
    await expectToast(page, 'API key copied.');
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), crmKey);
    await shown.getByRole('button', { name: 'Copied' }).waitFor();
    await record(page, 'copy-once-dialog');

    await shown.getByRole('checkbox', { name: 'I have copied the key' }).check();
    await done.click();
    await shown.waitFor({ state: 'hidden' });
    // The focus is back on the button that opened the dialogs, not on the body.
    await focusOn(page, 'Create API key');

    const crm = row(page, 'CRM sync');
    await crm.waitFor();
    const text = await crm.innerText();
    assert.match(text, /Read/);
    assert.ok(text.includes(`${crmKey.slice(0, 11)}`), `the row shows the key's beginning: ${text}`);
    assert.match(text, /…/);
    assert.match(text, /Ada Admin/);
    assert.match(text, /Never/, 'a key that does not expire and was never used says "Never"');
    assert.equal((await page.content()).includes(crmKey), false, 'the whole key is gone from the page');
    await record(page, 'one-key');
  });

  step('the key reads the organization through the API, without a session, and "Last used" says when', async () => {
    const response = await membersWithKey(crmKey);
    assert.equal(response.status, 200, await response.clone().text());
    const body = await response.json();
    assert.ok(body.items.some((member) => member.email === 'ada@acme.test'), JSON.stringify(body));
    const page = pages.ada;
    assert.equal((await lastUsed(page, 'CRM sync').innerText()).trim(), 'Never');
    await page.reload();
    await apiKeysPage(page);
    assert.notEqual((await lastUsed(page, 'CRM sync').innerText()).trim(), 'Never');
  });

  step('a key with an expiry shows its day', async () => {
    const page = pages.ada;
    const dialog = await createKey(page, { name: 'Nightly export', scope: 'Admin', expires: '2099-12-31' });
    await dialog.getByRole('button', { name: 'Create API key' }).click();
    const shown = page.getByRole('dialog', { name: 'Copy your new API key' });
    nightlyKey = await shown.getByLabel('API key').inputValue();
    assert.match(nightlyKey, /^rk_/);
    await shown.getByRole('checkbox', { name: 'I have copied the key' }).check();
    await shown.getByRole('button', { name: 'Done' }).click();
    await shown.waitFor({ state: 'hidden' });
    const nightly = row(page, 'Nightly export');
    await nightly.waitFor();
    assert.match(await nightly.innerText(), /Admin/);
    assert.match(await nightly.innerText(), /Dec 31, 2099/);
    // Newest first.
    const names = await page.locator('.ant-table-tbody tr.ant-table-row td:first-child').allInnerTexts();
    assert.deepEqual(names, ['Nightly export', 'CRM sync']);
  });

  step('"Revoke" names the key, asks, and the key is refused at once', async () => {
    const page = pages.ada;
    await page.reload();
    await apiKeysPage(page);
    // Escape on the confirmation gives the focus back to Revoke.
    await waitForTableIdle(page);
    await row(page, 'CRM sync').getByRole('button', { name: 'Revoke CRM sync' }).click();
    const confirm = page.getByRole('tooltip').filter({ hasText: 'Revoke the API key CRM sync?' });
    await confirm.waitFor();
    await focusOn(page, 'Cancel');
    await page.keyboard.press('Escape');
    await confirm.waitFor({ state: 'hidden' });
    await focusOn(page, 'Revoke CRM sync');
    await row(page, 'CRM sync').getByRole('button', { name: 'Revoke CRM sync' }).click();
    await confirm.waitFor();
    await record(page, 'revoke-confirm');
    await confirm.getByRole('button', { name: 'Revoke' }).click();
    await expectToast(page, 'API key CRM sync revoked.');
    await row(page, 'CRM sync').waitFor({ state: 'detached' });
    const response = await membersWithKey(crmKey);
    assert.equal(response.status, 401);
    await page.reload();
    await apiKeysPage(page);
    await row(page, 'Nightly export').waitFor();
    assert.equal(await row(page, 'CRM sync').count(), 0, 'a revoked key is not listed');
  });

  step('the audit log names the key that acted, and who created and revoked keys', async () => {
    // An admin key writes: it creates an assistant.
    const created = await fetch(`${base}/api/v1/orgs/1/assistants`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${nightlyKey}`, 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ name: 'Made by a script' }),
    });
    assert.equal(created.status, 201, await created.clone().text());
    const page = pages.ada;
    await navigate(page, 'Audit log');
    await page.getByRole('heading', { name: 'Audit log' }).waitFor();
    await waitForTableIdle(page);
    const byKey = await row(page, 'Assistant created').innerText();
    assert.match(byKey, /Nightly export/);
    assert.match(byKey, /API key/);
    assert.doesNotMatch(byKey, /System/);
    assert.match(await row(page, 'API key revoked').innerText(), /Ada Admin[\s\S]*CRM sync/);
    assert.equal(await row(page, 'API key created').count(), 2);
    await record(page, 'audit-log');
    await navigate(page, 'API keys');
    await apiKeysPage(page);
  });

  step('the audit log\'s "Who acted" offers the keys, a revoked one marked, and the list and export keep to the key', async () => {
    const page = pages.ada;
    await page.setViewportSize({ width: 1280, height: 800 });
    const keys = (await (await page.request.get(`${base}/api/v1/orgs/1/api-keys`)).json()).items;
    const nightly = keys.find((key) => key.name === 'Nightly export');
    const revokedKeys = (await (await page.request.get(`${base}/api/v1/orgs/1/api-keys?status=revoked`)).json()).items;
    const crm = revokedKeys.find((key) => key.name === 'CRM sync');
    // A revoked key is named with its prefix, as the live ones are.
    const crmLabel = `CRM sync (${crm.prefix}…) — revoked`;
    await navigate(page, 'Audit log');
    await page.getByRole('heading', { name: 'Audit log' }).waitFor();
    await waitForTableIdle(page);
    const filters = page.getByRole('search', { name: 'Filter the audit log' });
    const who = filters.getByLabel('Who acted');
    await who.click();
    await who.pressSequentially('sync', { delay: 20 });
    const list = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)');
    await list.locator('.ant-select-item-group', { hasText: 'API keys' }).waitFor();
    await list.locator('.ant-select-item-option', { hasText: crmLabel }).waitFor();
    await page.keyboard.press('Escape');
    await choose(page, who, `Nightly export (${nightly.prefix}…)`, 'nightly');
    await page.getByText('Showing 1 event (all)').waitFor();
    await row(page, 'Assistant created').waitFor();
    assert.match(await filters.innerText(), /API key: Nightly export/);

    // The filters and "Clear filters" stay on one line at 1280 px.
    const boxes = await filters.evaluate((bar) => [...bar.children].map((child) => {
      const box = child.getBoundingClientRect();
      return { top: Math.round(box.top), width: Math.round(box.width), of: Math.round(bar.getBoundingClientRect().width) };
    }));
    assert.equal(new Set(boxes.map((box) => box.top)).size, 1, `the filters wrap at 1280 px: ${JSON.stringify(boxes)}`);
    await record(page, 'audit-by-key-1280');

    // The export carries the key, not a member.
    await page.getByRole('button', { name: 'Export the audit log' }).click();
    const href = await page.locator('a[data-format="csv"]').getAttribute('href');
    assert.match(href, new RegExp(`actor_api_key=${nightly.id}(&|$)`));
    assert.doesNotMatch(href, /[?&]actor=/);
    const csv = await (await page.request.get(new URL(href, base).toString())).text();
    assert.match(csv, /assistant_created/);
    assert.doesNotMatch(csv, /api_key_created|api_key_revoked/);
    await page.keyboard.press('Escape');

    // The revoked key did nothing but read.
    await choose(page, who, crmLabel, 'crm');
    await page.getByText('No events match these filters.').waitFor();

    // On a phone the filters wrap inside the card, none past its edge.
    await page.setViewportSize({ width: 390, height: 800 });
    const overflow = await filters.evaluate((bar) => {
      const edge = bar.getBoundingClientRect().right;
      return [...bar.children].filter((child) => child.getBoundingClientRect().right > edge + 1).map((child) => child.className);
    });
    assert.deepEqual(overflow, [], 'a filter runs past the card at 390 px');
    await record(page, 'audit-by-key-390');
    await page.setViewportSize({ width: 1366, height: 860 });
    await filters.getByRole('button', { name: 'Clear filters' }).click();
    await navigate(page, 'API keys');
    await apiKeysPage(page);
  });

  step('more keys than a page: "Load more" shows the rest', async () => {
    const page = pages.ada;
    for (let index = 1; index <= 50; index += 1) {
      await postAs(page, '/orgs/1/api-keys', { name: `Batch key ${String(index).padStart(2, '0')}`, scope: 'read' });
    }
    await page.reload();
    await apiKeysPage(page);
    await page.getByText('Showing 50 keys').waitFor();
    await page.getByRole('button', { name: 'Load more' }).click();
    await page.getByText('Showing 51 keys (all)').waitFor();
    await row(page, 'Nightly export').waitFor();
    await record(page, 'load-more');
  });

  step('at 1280 px a 200-character name is cut with "…" and every Revoke stays in view', async () => {
    const page = pages.ada;
    await page.setViewportSize({ width: 1280, height: 800 });
    await apiKeysPage(page);
    const dialog = await createKey(page, { name: LONG_NAME, scope: 'Read' });
    await dialog.getByRole('button', { name: 'Create API key' }).click();
    await expectToastInBox(page, /^API key LongN+… created\.$/);
    const shown = page.getByRole('dialog', { name: 'Copy your new API key' });
    await shown.getByRole('checkbox', { name: 'I have copied the key' }).check();
    await shown.getByRole('button', { name: 'Done' }).click();
    await shown.waitFor({ state: 'hidden' });
    const long = row(page, LONG_NAME);
    await long.waitFor();
    await waitForTableIdle(page);
    const table = await page.locator('.api-keys-table .ant-table-content').evaluate((content) => ({
      scroll: content.scrollWidth, client: content.clientWidth, right: content.getBoundingClientRect().right,
    }));
    assert.ok(table.scroll <= table.client, `the table scrolls sideways: ${table.scroll} px in ${table.client} px`);
    const name = long.locator('td').first().locator('.cell-truncate');
    assert.equal(await name.getAttribute('title'), LONG_NAME, 'the whole name is the tooltip');
    assert.ok(await name.evaluate((cut) => cut.scrollWidth > cut.clientWidth), 'the name is cut');
    for (const revoke of await page.locator('.api-keys-table').getByRole('button', { name: /^Revoke / }).all()) {
      const box = await revoke.boundingBox();
      assert.ok(box && box.x >= 0 && box.x + box.width <= Math.min(table.right, 1280),
        `a Revoke button is out of view: ${JSON.stringify(box)}, table ends at ${table.right}`);
    }
    await record(page, 'long-name-1280');

    await long.getByRole('button', { name: /^Revoke / }).click();
    const confirm = page.getByRole('tooltip').filter({ hasText: 'Revoke the API key LongN' });
    await confirm.waitFor();
    assert.match(await confirm.innerText(), /Revoke the API key LongN{55}…\?/, 'the confirmation cuts the name');
    await confirm.getByRole('button', { name: 'Revoke' }).click();
    await expectToastInBox(page, /^API key LongN+… revoked\.$/);
    await long.waitFor({ state: 'detached' });
    await page.setViewportSize({ width: 1366, height: 860 });
  });

  step('a normal user has no "API keys" entry, and the address says admins only', async () => {
    await postAs(pages.ada, '/orgs/1/invitations', { email: 'bea@acme.test', name: 'Bea Buyer', role: 'user', assistant_ids: [] });
    const page = await personPage('bea');
    await signIn(page, base, 'bea@acme.test', await roster.oneTimePasswordFor('bea@acme.test'));
    await page.waitForURL(/\/password$/);
    await setNewPassword(page, PASSWORDS.bea);
    await page.waitForURL(/\/orgs\/1\/users$/);
    await page.getByRole('heading', { name: 'Org users' }).waitFor();
    const menu = page.getByRole('navigation', { name: 'Main' });
    await menu.getByRole('link', { name: 'Leads' }).waitFor();
    assert.equal(await menu.getByRole('link', { name: 'API keys' }).count(), 0);
    await page.goto(`${base}/orgs/1/api-keys`);
    await page.getByText('Admins only').waitFor();
    await page.getByText('Only the organization\'s admins can manage its API keys.').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Create API key' }).count(), 0);
    await record(page, 'normal-user');
  });
});
