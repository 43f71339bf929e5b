// Details an org admin reads, end to end against a real `roster serve`:
// "Require two-factor" says before its confirmation that he needs two-factor
// himself, and does not claim that "every other active member" has it when
// there is no other; a SCIM key comes with the SCIM base URL an identity
// provider asks for (docs/scim.md); the audit log says "Added" for an
// existing account added by an invitation, and "Nobody" for a password
// reset asked on the sign-in page (docs/account-recovery.md); the
// downloaded recovery codes say whose they are. Every step saves
// screenshots (1280 and 390 px wide) to test-results/e2e/ and checks the
// page with axe-core.
//
// The steps build on each other; after a failure the rest are skipped.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { after, before, describe } from 'node:test';
import { request } from 'playwright-core';
import { launch } from './lib/browser.mjs';
import { Roster } from './lib/roster.mjs';
import { story } from './lib/story.mjs';
import { apiAs, expectToast, navigate, row, setNewPassword, signIn, waitForTableIdle } from './lib/ui.mjs';

const PASSWORDS = {
  ada: 'violet-harbor-quantum-lantern-58',
  bob: 'copper-meadow-signal-orchid-731',
};

let roster;
let base;
let browser;
let page;
const cspViolations = [];

const { step, record } = story('admin-details', { pages: () => ({ ada: page }), cspViolations });

/** Photographs and scans the page at 1280 px, then as a 390 px phone shows it. */
async function recordBoth(name) {
  // A full-page shot of a page scrolled (to reach a button) shifts its fixed parts.
  await page.evaluate(() => window.scrollTo(0, 0));
  await record(page, `${name}-1280`);
  await page.setViewportSize({ width: 390, height: 844 });
  try {
    await record(page, `${name}-390`);
  } finally {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.evaluate(() => window.scrollTo(0, 0));
  }
}

/** RFC 4648 base32 to bytes. */
function base32Decode(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const char of text.replace(/[\s=]/g, '').toUpperCase()) bits += alphabet.indexOf(char).toString(2).padStart(5, '0');
  const bytes = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}

/** The current code of an authenticator app (RFC 6238: HMAC-SHA1, 30 s, 6 digits). */
function totp(secret) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 1000 / 30)));
  const digest = createHmac('sha1', base32Decode(secret)).update(counter).digest();
  const offset = digest[digest.length - 1] & 0x0f;
  const number = ((digest[offset] & 0x7f) << 24) | (digest[offset + 1] << 16)
    | (digest[offset + 2] << 8) | digest[offset + 3];
  return String(number % 1_000_000).padStart(6, '0');
}

describe('details an org admin reads', () => {
  before(async () => {
    roster = await Roster.start();
    const otp = await roster.createOrganization('Acme Sales', 'ada@acme.test', 'Ada Admin');
    base = await roster.serve();
    browser = await launch({ viewport: { width: 1280, height: 800 } });
    await browser.context.grantPermissions(['clipboard-read', 'clipboard-write']);
    page = await browser.context.newPage();
    page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
    });
    await signIn(page, base, 'ada@acme.test', otp);
    await page.waitForURL(/\/password$/);
    await setNewPassword(page, PASSWORDS.ada);
    await page.waitForURL(/\/orgs\/1\/users$/);
  });

  after(async () => {
    if (browser) await browser.close().catch(() => {});
    if (roster) await roster.stop();
  });

  step('"Require two-factor" says first that the admin needs it himself, and that he is the only active member', async () => {
    await navigate(page, 'Settings');
    await page.waitForURL(/\/orgs\/1\/settings$/);
    const own = page.getByTestId('require-mfa-own');
    await own.getByText('Turn on two-factor sign-in for yourself first').waitFor();
    await own.getByRole('link', { name: 'Set up two-factor sign-in' }).waitFor();
    await recordBoth('require-mfa-own');
    await page.getByRole('switch', { name: 'Require two-factor' }).click();
    const confirm = page.getByRole('dialog', { name: 'Require two-factor sign-in?' });
    await confirm.getByText("You don't have two-factor sign-in on yourself.").waitFor();
    await confirm.getByText('You are the only active member of Acme Sales.').waitFor();
    assert.equal(await confirm.getByText('Every other active member').count(), 0, 'there is no other active member');
    await recordBoth('require-mfa-confirm-alone');
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await confirm.waitFor({ state: 'hidden' });
  });

  step('a SCIM key comes with the SCIM base URL, and where Okta and Entra ID take it', async () => {
    await navigate(page, 'API keys');
    await page.getByRole('heading', { name: 'API keys' }).waitFor();
    assert.equal(await page.getByTestId('scim-base-url').innerText(), `${base}/scim/v2`);
    await page.locator('#main').getByRole('button', { name: 'Create API key' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create API key' });
    await dialog.getByLabel('Name').fill('Okta');
    await dialog.getByRole('radio', { name: /^SCIM/ }).check();
    await dialog.getByRole('button', { name: 'Create API key' }).click();
    const shown = page.getByRole('dialog', { name: 'Copy your new API key' });
    const key = await shown.getByLabel('API key', { exact: true }).inputValue();
    const url = shown.getByLabel('SCIM base URL', { exact: true });
    assert.equal(await url.inputValue(), `${base}/scim/v2`);
    await shown.getByText('SCIM connector base URL').waitFor();
    await shown.getByText('Tenant URL').waitFor();
    await shown.getByRole('button', { name: 'Copy the SCIM base URL' }).click();
    await expectToast(page, 'SCIM base URL copied.');
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), `${base}/scim/v2`);
    await recordBoth('scim-key-shown');
    // The URL and the key are what an identity provider needs.
    const answer = await fetch(`${base}/scim/v2/ServiceProviderConfig`, { headers: { Authorization: `Bearer ${key}` } });
    assert.equal(answer.status, 200, await answer.text());
    await shown.getByRole('checkbox', { name: 'I have copied the key' }).check();
    await shown.getByRole('button', { name: 'Done' }).click();
    await shown.waitFor({ state: 'hidden' });
  });

  step('the audit log says "Added" for an existing account and "Nobody" for a reset asked on the sign-in page', async () => {
    // Bob joins, is removed, and is invited again: he has a password, so he is added at once.
    const bob = await apiAs(page, base, 'POST', '/orgs/1/invitations', { email: 'bob@acme.test', name: 'Bob Seller', role: 'user' });
    const otp = await roster.oneTimePasswordFor('bob@acme.test');
    const bobApi = await request.newContext({ baseURL: base, extraHTTPHeaders: { 'X-Requested-With': 'roster' } });
    try {
      assert.ok((await bobApi.post('/api/v1/auth/login', { data: { email: 'bob@acme.test', password: otp } })).ok());
      const set = await bobApi.post('/api/v1/auth/password', { data: { current_password: otp, new_password: PASSWORDS.bob } });
      assert.ok(set.ok(), await set.text());
    } finally {
      await bobApi.dispose();
    }
    await apiAs(page, base, 'DELETE', `/orgs/1/members/${bob.user_id}`);
    const again = await apiAs(page, base, 'POST', '/orgs/1/invitations', { email: 'bob@acme.test', name: 'Bob Seller', role: 'user' });
    assert.equal(again.status, 'active');
    // Nobody is signed in on the sign-in page.
    const reset = await fetch(`${base}/api/v1/auth/password-reset`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Requested-With': 'roster' },
      body: JSON.stringify({ email: 'ada@acme.test' }),
    });
    assert.equal(reset.status, 202, await reset.text());

    await navigate(page, 'Audit log');
    await page.getByRole('heading', { name: 'Audit log' }).waitFor();
    await waitForTableIdle(page);
    const tags = page.locator('.ant-table-tbody tr.ant-table-row td:nth-child(3)');
    await row(page, 'Password reset requested').waitFor();
    const whats = (await tags.allInnerTexts()).map((text) => text.trim());
    assert.deepEqual(whats.filter((what) => what === 'Added' || what === 'Invited'), ['Added', 'Invited'],
      `re-added, then first invited: ${JSON.stringify(whats)}`);
    const added = page.locator('.ant-table-tbody tr.ant-table-row', { has: page.getByText('Added', { exact: true }) });
    assert.match(await added.innerText(), /Bob Seller[\s\S]*existing account: yes/);
    const asked = await row(page, 'Password reset requested').innerText();
    assert.match(asked, /Nobody\s+sign-in page/);
    assert.doesNotMatch(asked, /System/);
    // The command line's event is still System's.
    assert.match(await row(page, 'Organization created').innerText(), /System/);
    // The filter finds both under one name.
    await page.getByRole('search', { name: 'Filter the audit log' }).getByLabel('Action').click();
    await page.locator('.ant-select-item-option', { hasText: 'Invited or added' }).waitFor();
    await page.keyboard.press('Escape');
    await recordBoth('audit-added-nobody');
  });

  step('the downloaded recovery codes say which service, account and day they are of, and that each works once', async () => {
    await page.getByRole('button', { name: /account menu/ }).click();
    await page.getByRole('menuitem', { name: 'Security' }).click();
    await page.waitForURL(/\/security$/);
    await page.getByRole('button', { name: 'Set up two-factor sign-in' }).click();
    const secret = (await page.getByTestId('totp-secret').innerText()).replace(/\s/g, '');
    // A code about to change might be refused: wait for a fresh one.
    if ((Date.now() / 1000) % 30 > 25) await page.waitForTimeout(6000);
    await page.getByLabel('Code from the app').fill(totp(secret));
    await page.getByRole('button', { name: 'Confirm' }).click();
    const list = page.getByRole('list', { name: 'Recovery codes' });
    await list.waitFor();
    const codes = (await list.locator('li').allInnerTexts()).map((code) => code.trim());
    assert.equal(codes.length, 10);
    const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download' }).click()]);
    assert.equal(file.suggestedFilename(), 'roster-recovery-codes.txt');
    const text = await readFile(await file.path(), 'utf8');
    assert.match(text, /^Roster/);
    assert.ok(text.includes('Account: ada@acme.test'), text);
    assert.ok(text.includes(`Sign in at: ${base}`), text);
    assert.ok(text.includes(`Made on: ${new Date().toISOString().slice(0, 10)}`), text);
    assert.match(text, /Each code works once/);
    assert.deepEqual(text.trim().split('\n').slice(-10), codes, 'the ten codes, one a line, at the end');
    await recordBoth('recovery-codes');
    await page.getByRole('button', { name: 'I have saved them' }).click();
    await page.getByText(/Two-factor sign-in is on\./).waitFor();
  });

  step('with two-factor on, "Require two-factor" no longer warns him', async () => {
    await page.getByRole('link', { name: 'Back to Roster' }).click();
    await navigate(page, 'Settings');
    await page.waitForURL(/\/orgs\/1\/settings$/);
    await page.getByRole('switch', { name: 'Require two-factor' }).click();
    const confirm = page.getByRole('dialog', { name: 'Require two-factor sign-in?' });
    // Bob, added again, is the other active member, without two-factor.
    await confirm.getByText("1 member doesn't have two-factor sign-in yet").waitFor();
    assert.equal(await page.getByTestId('require-mfa-own').count(), 0);
    assert.equal(await confirm.getByText("You don't have two-factor sign-in on yourself.").count(), 0);
    assert.equal(await confirm.getByText('only active member').count(), 0);
    await confirm.getByRole('button', { name: 'Proceed' }).click();
    await expectToast(page, 'Two-factor sign-in is now required');
  });
});
