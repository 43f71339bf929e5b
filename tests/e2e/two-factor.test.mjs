// Two-factor sign-in in the console, end to end against a real `roster
// serve` (SPEC.md section 9, docs/two-factor.md): an admin sets up TOTP from
// the Security page reading the secret from the page, signs out, signs in
// with password and code (computed here as an authenticator app would, with
// HMAC-SHA1), uses a recovery code once and sees it refused the second time;
// requires two-factor for the organization, and a member without it is taken
// to the set-up page, which also leads to his other organization and out;
// the admin sees "2FA" in Org users and resets it; a password reset of an
// account with two-factor on ends on the sign-in page, e-mail filled in. Every
// step saves a screenshot to test-results/e2e/ and checks the page with
// axe-core.
//
// The steps build on each other; after a failure the rest are skipped.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { launch, screenshot } from './lib/browser.mjs';
import { Roster } from './lib/roster.mjs';
import { story } from './lib/story.mjs';
import { choose, expectToast, navigate, row, rowAction, setNewPassword, signIn, waitForRows, waitForTableIdle } from './lib/ui.mjs';

const PASSWORDS = {
  ada: 'violet-harbor-quantum-lantern-58',
  bob: 'copper-meadow-signal-orchid-731',
};

let roster;
let base;
let adaOtp;
let beaOtp;
const browsers = {};
const pages = {};
const cspViolations = [];
let adaSecret;
let adaCodes;
let step0;

/** RFC 4648 base32 (no padding needed) to bytes. */
function base32Decode(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const char of text.replace(/[\s=]/g, '').toUpperCase()) {
    const value = alphabet.indexOf(char);
    assert.ok(value >= 0, `not base32: ${text}`);
    bits += value.toString(2).padStart(5, '0');
  }
  const bytes = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}

/** The code of a 30-second step, as RFC 6238 computes it (HMAC-SHA1, 6 digits). */
function totp(secret, step) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const digest = createHmac('sha1', base32Decode(secret)).update(counter).digest();
  const offset = digest[digest.length - 1] & 0x0f;
  const number = ((digest[offset] & 0x7f) << 24) | (digest[offset + 1] << 16)
    | (digest[offset + 2] << 8) | digest[offset + 3];
  return String(number % 1_000_000).padStart(6, '0');
}

/** The current step, after waiting out a step that is about to end. */
async function freshStep() {
  const seconds = Date.now() / 1000;
  if (seconds % 30 > 20) await new Promise((resolve) => setTimeout(resolve, (30 - (seconds % 30)) * 1000 + 200));
  return Math.floor(Date.now() / 1000 / 30);
}

/** One step of the story: skipped once an earlier step failed. */
const { step, record, recordAtPhoneWidth } = story('two-factor', { pages: () => pages, cspViolations });

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

async function openUserMenu(page, item) {
  await page.getByRole('button', { name: /account menu/ }).click();
  await page.getByRole('menuitem', { name: item }).click();
}

async function signOut(page) {
  await page.goto(`${base}/orgs/1/users`);
  await openUserMenu(page, 'Sign out');
  await page.waitForURL(/\/login(\?|$)/);
}

/** Password, then the second step: a code or a recovery code. */
async function signInWithSecondFactor(page, email, password, factor) {
  await signIn(page, base, email, password);
  await page.getByRole('heading', { name: 'Two-factor sign-in' }).waitFor();
  if (factor.recovery) {
    await page.getByRole('button', { name: 'Use a recovery code' }).click();
    await page.getByLabel('Recovery code').fill(factor.recovery);
  } else {
    await page.getByLabel('Code', { exact: true }).fill(factor.code);
  }
  await page.getByRole('button', { name: 'Verify' }).click();
}

/** At 1280 and 390 px wide, the set-up's key breaks only between its groups
 *  of four, and each of its lines starts at the same x, right of "Key:"
 *  (none wraps under the label). */
async function assertKeyLinesAligned(page) {
  const viewport = page.viewportSize();
  try {
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 800 });
      const { labelRight, groups } = await page.getByTestId('totp-secret').evaluate((key) => {
        // The glyphs of "Key:" themselves, whatever element holds them.
        const walker = document.createTreeWalker(key.closest('.ant-typography'), NodeFilter.SHOW_TEXT);
        let text = walker.nextNode();
        while (text && !text.data.includes('Key:')) text = walker.nextNode();
        const range = document.createRange();
        range.setStart(text, text.data.indexOf('Key:'));
        range.setEnd(text, text.data.indexOf('Key:') + 'Key:'.length);
        return {
          labelRight: range.getBoundingClientRect().right,
          groups: [...key.querySelectorAll('span')].map((span) => {
            const box = span.getBoundingClientRect();
            return { text: span.textContent, left: box.left, top: box.top, height: box.height, pieces: span.getClientRects().length };
          }),
        };
      });
      for (const group of groups) {
        assert.ok(group.pieces === 1 && group.height <= groups[0].height + 1, `${group.text} is split at ${width} px`);
        assert.ok(group.left >= labelRight, `${group.text} starts at x=${group.left}, under "Key:" (to x=${labelRight}) at ${width} px`);
      }
      const starts = groups.filter((group, index) => index === 0 || group.top > groups[index - 1].top + 1);
      for (const start of starts) {
        assert.ok(Math.abs(start.left - groups[0].left) <= 1,
                  `the line starting with ${start.text} starts at x=${start.left}, the first at ${groups[0].left} (${width} px)`);
      }
    }
  } finally {
    await page.setViewportSize(viewport);
  }
}

/** On the Security page: starts the set-up, reads the secret, confirms with
 *  the code of `step`; answers the secret and the recovery codes shown. */
async function setUpFromSecurityPage(page, who, stepNumber, password) {
  await page.getByRole('button', { name: 'Set up two-factor sign-in' }).click();
  if (password) {
    // A sign-in older than ten minutes sets it up only with the password.
    await page.getByLabel('Password').fill(password);
    await record(page, `${who}-setup-password`);
    await page.getByRole('button', { name: 'Continue' }).click();
  }
  await page.getByRole('img', { name: /QR code/ }).waitFor();
  // The key is shown: the focus is on the code field, ready for the app's code.
  const codeField = await page.getByLabel('Code from the app').elementHandle();
  await page.waitForFunction((field) => document.activeElement === field, codeField, { timeout: 5000 });
  const key = page.getByTestId('totp-secret');
  const secret = (await key.innerText()).replace(/\s/g, '');
  assert.match(secret, /^[A-Z2-7]{32}$/);
  // Shown in groups of four for typing; copied, it is still one run.
  assert.deepEqual(await key.locator('span').allInnerTexts(), secret.match(/.{4}/g));
  const [first, second] = [await key.locator('span').nth(0).boundingBox(), await key.locator('span').nth(1).boundingBox()];
  assert.ok(second.x - (first.x + first.width) >= 4, 'a gap between the groups');
  await assertKeyLinesAligned(page);
  const copied = await key.evaluate((element) => {
    getSelection().selectAllChildren(element);
    const text = getSelection().toString();
    getSelection().removeAllRanges();
    return text;
  });
  assert.equal(copied, secret);
  // Where the browser allows no copying, "Copy key" selects the key for the
  // person to copy, as a new API key's Copy selects the key.
  await page.evaluate(() => {
    navigator.clipboard.writeText = () => Promise.reject(new DOMException('Refused', 'NotAllowedError'));
    document.execCommand = () => false;
  });
  await page.getByRole('button', { name: 'Copy key' }).click();
  await expectToast(page, 'The browser did not allow copying. The key is selected: copy with Ctrl+C (⌘C on a Mac).');
  assert.equal(await page.evaluate(() => getSelection().toString()), secret);
  await page.evaluate(() => {
    delete navigator.clipboard.writeText;
    delete document.execCommand;
    getSelection().removeAllRanges();
  });
  // "Copy key" copies the one run, as a new API key's Copy does.
  await page.getByRole('button', { name: 'Copy key' }).click();
  await expectToast(page, 'Key copied.');
  await page.getByRole('button', { name: 'Copied' }).waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), secret);
  await record(page, `${who}-setup-qr`);
  await page.getByLabel('Code from the app').fill(totp(secret, stepNumber));
  await page.getByRole('button', { name: 'Confirm' }).click();
  const list = page.getByRole('list', { name: 'Recovery codes' });
  await list.waitFor();
  const codes = (await list.locator('li').allInnerTexts()).map((code) => code.trim());
  assert.equal(codes.length, 10);
  await record(page, `${who}-recovery-codes`);
  return { secret, codes };
}

describe('Two-factor sign-in in the console', () => {
  before(async () => {
    roster = await Roster.start();
    adaOtp = await roster.createOrganization('Acme Sales', 'ada@acme.test', 'Ada Admin');
    beaOtp = await roster.createOrganization('Beta Co', 'bea@beta.test', 'Bea Boss');
    base = await roster.serve();
  });

  after(async () => {
    for (const browser of Object.values(browsers)) await browser.close().catch(() => {});
    if (roster) await roster.stop();
  });

  step('the admin opens Security from the user menu and sets up an authenticator', async () => {
    const page = await personPage('ada');
    await signIn(page, base, 'ada@acme.test', adaOtp);
    await page.waitForURL(/\/password$/);
    await setNewPassword(page, PASSWORDS.ada);
    await page.waitForURL(/\/orgs\/1\/users$/);
    // Requiring it before she has it herself is refused, and she stays on Settings.
    await navigate(page, 'Settings');
    const toggle = page.getByRole('switch', { name: 'Require two-factor' });
    await toggle.click();
    const confirm = page.getByRole('dialog', { name: 'Require two-factor sign-in?' });
    await confirm.getByRole('button', { name: 'Proceed' }).click();
    const refusal = page.getByRole('alert').filter({ hasText: 'Turn on two-factor sign-in for yourself before requiring it.' });
    await refusal.waitFor();
    assert.match(page.url(), /\/orgs\/1\/settings$/);
    assert.equal(await toggle.getAttribute('aria-checked'), 'false');
    await record(page, 'require-refused');
    await refusal.getByRole('link', { name: 'Set up two-factor sign-in' }).click();
    await page.waitForURL(/\/security$/);
    await page.getByText('Two-factor sign-in is off.').waitFor();
    assert.equal(await page.getByText('requires two-factor sign-in').count(), 0, 'nothing requires it yet');
    await page.getByRole('link', { name: 'Back to Roster' }).click();
    await page.waitForURL(/\/orgs\/1\/settings$/);
    await openUserMenu(page, 'Security');
    await page.waitForURL(/\/security$/);
    await page.getByText('Two-factor sign-in is off.').waitFor();
    await record(page, 'security-off');
    // Her sign-in an hour old: the set-up asks for her password first.
    execFileSync('sqlite3', [roster.dbPath], {
      input: '.timeout 5000\nUPDATE sessions SET created_at = created_at - 3600;\n',
      stdio: ['pipe', 'ignore', 'inherit'],
    });
    step0 = await freshStep();
    ({ secret: adaSecret, codes: adaCodes } =
      await setUpFromSecurityPage(page, 'ada', step0 - 1, PASSWORDS.ada));
    // Acme Sales, where she is admin, does not require it: no warning on Turn off.
    const settingsRead = page.waitForResponse((response) => new URL(response.url()).pathname === '/api/v1/orgs/1/settings');
    await page.getByRole('button', { name: 'I have saved them' }).click();
    await page.getByText('Two-factor sign-in is on. 10 recovery codes left.').waitFor();
    await settingsRead;
    await page.getByRole('button', { name: 'Turn off' }).waitFor();
    assert.equal(await page.getByTestId('turn-off-warning').count(), 0, 'no organization of hers requires it');
    await record(page, 'security-on');
  });

  step('signing in again takes the password and then a code', async () => {
    const page = pages.ada;
    await signOut(page);
    await signIn(page, base, 'ada@acme.test', PASSWORDS.ada);
    await page.getByRole('heading', { name: 'Two-factor sign-in' }).waitFor();
    await record(page, 'second-step');
    // The code of the confirmation's step was used already.
    await page.getByLabel('Code', { exact: true }).fill(totp(adaSecret, step0 - 1));
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByRole('alert').getByText(/not correct|used already/).waitFor();
    await record(page, 'second-step-refused');
    await page.getByLabel('Code', { exact: true }).fill(totp(adaSecret, step0));
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.waitForURL(/\/orgs\/1\/users$/);
    await waitForTableIdle(page);
  });

  step('a recovery code works once', async () => {
    const page = pages.ada;
    await signOut(page);
    await signInWithSecondFactor(page, 'ada@acme.test', PASSWORDS.ada, { recovery: adaCodes[0] });
    await page.waitForURL(/\/orgs\/1\/users$/);
    // Said so, with the count left and what to do about the phone.
    const notice = page.getByRole('status').filter({ hasText: 'You signed in with a recovery code. 9 recovery codes are left.' });
    await notice.getByText('Lost your phone? In Security, turn two-factor sign-in off with your password and another recovery code').waitFor();
    await page.getByRole('heading', { name: 'Org users' }).waitFor();
    await waitForTableIdle(page);
    await record(page, 'recovery-code-notice');
    await notice.getByRole('link', { name: 'Security' }).first().click();
    await page.waitForURL(/\/security$/);
    await page.getByText('Two-factor sign-in is on. 9 recovery codes left.').waitFor();
    await page.getByRole('link', { name: 'Back to Roster' }).click();
    await page.waitForURL(/\/orgs\/1\/users$/);
    await notice.getByRole('button', { name: 'Close the notice' }).click();
    await notice.waitFor({ state: 'detached' });
    await signOut(page);
    await signInWithSecondFactor(page, 'ada@acme.test', PASSWORDS.ada, { recovery: adaCodes[0] });
    // A recovery code's words: it works once; no "current code" as for the app's.
    await page.getByRole('alert').getByText(
      'This recovery code is not correct or was already used: each one works once. Enter another of your codes.',
      { exact: true }).waitFor();
    assert.equal(await page.getByText(/current code/).count(), 0);
    await record(page, 'recovery-code-refused');
    await recordAtPhoneWidth(page, 'recovery-code-refused');
    await page.getByLabel('Recovery code').fill(adaCodes[1]);
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.waitForURL(/\/orgs\/1\/users$/);
    await page.getByText('You signed in with a recovery code. 8 recovery codes are left.').waitFor();
  });

  step('the admin requires two-factor on the Settings page, after a confirmation naming who lacks it', async () => {
    const page = pages.ada;
    // Bob joins first, without two-factor.
    const invited = await page.request.post(`${base}/api/v1/orgs/1/invitations`, {
      data: { email: 'bob@acme.test', name: 'Bob Seller', role: 'user' },
      headers: { 'X-Requested-With': 'roster' },
    });
    assert.equal(invited.status(), 201, await invited.text());
    const bob = await personPage('bob');
    await signIn(bob, base, 'bob@acme.test', await roster.oneTimePasswordFor('bob@acme.test'));
    await bob.waitForURL(/\/password$/);
    await bob.getByText('Welcome, Bob Seller. Choose the password you will use from now on').waitFor();
    await setNewPassword(bob, PASSWORDS.bob);
    await bob.waitForURL(/\/orgs\/1\/users$/);
    await waitForTableIdle(bob);

    // The page's own member read (the default heir's picker, of every active
    // member) is awaited: the page changes in place, so the load state of the
    // document ("networkidle") was reached long ago and waits for nothing.
    const heirPickerRead = page.waitForResponse((response) => {
      const url = new URL(response.url());
      return url.pathname === '/api/v1/orgs/1/members' && url.searchParams.get('limit') === '20'
        && url.searchParams.get('status') === 'active' && !url.searchParams.has('mfa');
    });
    await navigate(page, 'Settings');
    await page.waitForURL(/\/orgs\/1\/settings$/);
    const toggle = page.getByRole('switch', { name: 'Require two-factor' });
    await toggle.waitFor();
    assert.equal(await toggle.getAttribute('aria-checked'), 'false');
    await heirPickerRead;
    // One click asks first, saying who will be stopped; Cancel changes nothing.
    // The server finds them (status=active&mfa=false): no member list is read whole.
    const memberReads = [];
    const listen = (request) => {
      const url = new URL(request.url());
      if (url.pathname === '/api/v1/orgs/1/members') memberReads.push(url.search);
    };
    page.on('request', listen);
    await toggle.click();
    const confirm = page.getByRole('dialog', { name: 'Require two-factor sign-in?' });
    await confirm.getByText("1 member doesn't have two-factor sign-in yet").waitFor();
    page.off('request', listen);
    assert.ok(memberReads.length > 0, 'the confirmation asked the server for the members without two-factor');
    for (const search of memberReads) {
      const query = new URLSearchParams(search);
      assert.equal(query.get('mfa'), 'false', `a member read without mfa=false: ${search}`);
      assert.equal(query.get('status'), 'active', `a member read not of the active: ${search}`);
    }
    await confirm.getByText(/\(Bob Seller\)\. From their next step in Roster they won't be able to open Acme Sales until they set it up\./).waitFor();
    await record(page, 'settings-require-confirm');
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await confirm.waitFor({ state: 'hidden' });
    assert.equal(await toggle.getAttribute('aria-checked'), 'false');
    assert.equal((await page.request.get(`${base}/api/v1/orgs/1/settings`).then((r) => r.json())).require_mfa, false);
    await toggle.click();
    await confirm.getByRole('button', { name: 'Proceed' }).click();
    await expectToast(page, 'Two-factor sign-in is now required');
    await confirm.waitFor({ state: 'hidden' });
    assert.equal(await toggle.getAttribute('aria-checked'), 'true');
    await record(page, 'settings-required');
    // Turning her own two-factor off now says that Acme Sales will ask for it again.
    await openUserMenu(page, 'Security');
    await page.waitForURL(/\/security$/);
    await page.getByTestId('turn-off-warning')
      .getByText('Acme Sales requires two-factor sign-in: turn it off and you will have to set it up again before you can use it.')
      .waitFor();
    await record(page, 'turn-off-warns-named');
    await page.getByRole('link', { name: 'Back to Roster' }).click();
    await page.waitForURL(/\/orgs\/1\/users$/);
  });

  step('the audit log words the two-factor events, and its filter finds them', async () => {
    const page = pages.ada;
    await navigate(page, 'Audit log');
    await page.getByRole('heading', { name: 'Audit log' }).waitFor();
    await waitForTableIdle(page);
    const body = page.locator('.ant-table-tbody');
    await body.getByText('Two-factor turned on', { exact: true }).waitFor();
    await row(page, 'Two-factor requirement changed').getByText('Require two-factor: on', { exact: true }).waitFor();
    assert.equal(await body.getByText(/mfa|require_mfa/i).count(), 0, 'no raw action or detail names');
    await record(page, 'audit-two-factor');
    // Each two-factor and password-reset action is in the filter.
    const action = page.getByRole('combobox', { name: 'Action' });
    await choose(page, action, 'Recovery code used', 'Recovery');
    await waitForTableIdle(page);
    await page.waitForFunction(() => {
      const rows = [...document.querySelectorAll('.ant-table-tbody tr.ant-table-row')];
      return rows.length === 2 && rows.every((item) => item.textContent.includes('Recovery code used'));
    });
    await row(page, 'recovery codes left: 8').waitFor();
    for (const label of ['Two-factor turned off', 'Two-factor reset', 'Two-factor requirement changed',
                         'Password reset requested', 'Password reset completed']) {
      await choose(page, action, label, label.split(' ')[0]);
      await waitForTableIdle(page);
    }
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await waitForTableIdle(page);
    await body.getByText('Two-factor turned on', { exact: true }).waitFor();
  });

  step('a member without two-factor is taken to the set-up, and gets in after it', async () => {
    const page = pages.bob;
    await page.reload();
    await page.waitForURL(/\/security\?required=1$/);
    await page.getByText('Acme Sales requires two-factor sign-in. Set it up to continue there.').waitFor();
    await record(page, 'forced-setup');
    const { codes } = await setUpFromSecurityPage(page, 'bob', await freshStep());
    assert.equal(codes.length, 10);
    await page.getByRole('button', { name: 'I have saved them' }).click();
    await page.waitForURL(/\/orgs\/1\/users$/);
    await waitForTableIdle(page);
    await row(page, 'Ada Admin').waitFor();
    // Not an admin, he cannot read whether Acme Sales requires it: Turn off warns in general.
    await openUserMenu(page, 'Security');
    await page.waitForURL(/\/security$/);
    await page.getByTestId('turn-off-warning')
      .getByText('An organization that requires two-factor sign-in will ask you to set it up again before you can use it.')
      .waitFor();
    await record(page, 'turn-off-warns-general');
    await page.getByRole('link', { name: 'Back to Roster' }).click();
    await page.waitForURL(/\/orgs\/1\/users$/);
  });

  step('the admin sees who has two-factor on and resets a member\'s', async () => {
    const page = pages.ada;
    await pages.bob.getByRole('search').getByLabel('Filter by role').waitFor();
    assert.equal(await pages.bob.getByLabel('Filter by two-factor').count(), 0, 'a user has no two-factor filter');
    await navigate(page, 'Org users');
    await page.waitForURL(/\/orgs\/1\/users$/);
    await waitForTableIdle(page);
    await page.getByRole('columnheader', { name: '2FA' }).waitFor();
    await row(page, 'Bob Seller').getByText('On', { exact: true }).waitFor();
    await record(page, 'org-users-2fa');
    await rowAction(page, 'Bob Seller', 'Reset two-factor');
    await page.getByRole('button', { name: 'Yes' }).click();
    await expectToast(page, 'two-factor sign-in is reset');
    await row(page, 'Bob Seller').getByText('Off', { exact: true }).waitFor();
    await record(page, 'org-users-reset');
    // Bob must set it up again before he can open the organization.
    await pages.bob.reload();
    await pages.bob.waitForURL(/\/security\?required=1$/);

    // "Two-factor: off" / "on" ask the server (mfa=false / true); Export carries it.
    const filter = page.getByRole('search').getByLabel('Filter by two-factor');
    await choose(page, filter, 'Two-factor: off');
    await waitForRows(page, ['Bob Seller']);
    await page.getByRole('button', { name: 'Export members' }).click();
    assert.match(await page.locator('a[data-format="csv"]').getAttribute('href'), /[?&]mfa=false(&|$)/);
    await page.keyboard.press('Escape');
    await record(page, 'org-users-2fa-off');
    await choose(page, filter, 'Two-factor: on');
    await waitForRows(page, ['Ada Admin']);
    await choose(page, filter, 'Two-factor: any');
    await waitForRows(page, ['Ada Admin', 'Bob Seller']);
  });

  step('the forced set-up leads to the member\'s other organization, and he can sign out', async () => {
    // Bea, admin of Beta Co (which does not require it), adds Bob's account.
    const bea = await personPage('bea');
    const call = async (method, path, data) => {
      const response = await bea.request.fetch(`${base}/api/v1${path}`, { method, data, headers: { 'X-Requested-With': 'roster' } });
      assert.ok(response.ok(), `${method} ${path}: ${response.status()} ${await response.text()}`);
      return response.status() === 204 ? null : response.json();
    };
    await call('POST', '/auth/login', { email: 'bea@beta.test', password: beaOtp });
    await call('POST', '/auth/password', { current_password: beaOtp, new_password: 'amber-falcon-ledger-tulip-372' });
    const beta = (await call('GET', '/me')).memberships.find((item) => item.org.name === 'Beta Co').org.id;
    assert.equal((await call('POST', `/orgs/${beta}/invitations`, { email: 'bob@acme.test', name: 'Bob Seller' })).status, 'active');

    const page = pages.bob;
    await page.reload();
    await page.waitForURL(/\/security\?required=1$/);
    await page.getByText('Acme Sales requires two-factor sign-in. Set it up to continue there.').waitFor();
    await page.getByRole('button', { name: 'Set up two-factor sign-in' }).waitFor();
    await record(page, 'forced-setup-elsewhere');
    await page.getByRole('link', { name: 'Beta Co' }).click();
    await page.waitForURL(new RegExp(`/orgs/${beta}/users$`));
    await waitForTableIdle(page);
    await row(page, 'Bea Boss').waitFor();
    // Acme Sales still sends him to the set-up.
    await choose(page, page.getByLabel('Organization'), 'Acme Sales');
    await page.waitForURL(/\/security\?required=1$/);
    await page.getByRole('button', { name: 'Sign out' }).click();
    // As signOut() waits: a request the set-up page had in flight may end
    // after the session and add a `next` to the address.
    await page.waitForURL(/\/login(\?|$)/);
    await page.getByText('You signed out.').waitFor();
  });

  step('a password reset of an account with two-factor on ends on the sign-in page, e-mail filled in', async () => {
    const page = pages.ada;
    await signOut(page);
    await page.getByText('Use your e-mail and password, or the one-time password from your invitation or password reset e-mail.').waitFor();
    const before = await roster.mailCount();
    await page.getByRole('link', { name: 'Forgot password?' }).click();
    await page.getByLabel('E-mail').fill('ada@acme.test');
    await page.getByRole('button', { name: 'Send password reset' }).click();
    const otp = await roster.oneTimePasswordFor('ada@acme.test', { after: before });
    await signIn(page, base, 'ada@acme.test', otp);
    await page.waitForURL(/\/password$/);
    // She had a password: no welcome.
    await page.getByText('Choose a new password: 15 to 128 characters').waitFor();
    assert.equal(await page.getByText('Welcome').count(), 0);
    PASSWORDS.ada = 'saffron-kettle-orbit-lagoon-615';
    await setNewPassword(page, PASSWORDS.ada);
    await page.waitForURL(/\/login$/);
    await page.getByRole('status').getByText('Your new password is set. Sign in with it and a code from your app.').waitFor();
    assert.equal(await page.getByLabel('E-mail').inputValue(), 'ada@acme.test');
    assert.equal(await page.getByText('Your session ended').count(), 0);
    await record(page, 'reset-sign-in-again');
    await page.getByLabel('Password', { exact: true }).fill(PASSWORDS.ada);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const now = await freshStep();
    await page.getByLabel('Code', { exact: true }).fill(totp(adaSecret, now > step0 ? now : step0 + 1));
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.waitForURL(/\/orgs\/1\/users$/);
  });

  step('without the phone, the password and a recovery code turn two-factor off on the Security page', async () => {
    const page = pages.ada;
    await openUserMenu(page, 'Security');
    await page.waitForURL(/\/security$/);
    await page.getByText('Lost your phone? One of your recovery codes works here too.').waitFor();
    await page.getByLabel('Password', { exact: true }).fill(PASSWORDS.ada);
    // A used one is refused, as at sign-in.
    await page.getByLabel('Code from the app, or a recovery code').fill(adaCodes[0]);
    await page.getByRole('button', { name: 'Turn off' }).click();
    await page.getByRole('alert').first().waitFor();
    assert.equal(await page.getByText('Two-factor sign-in is off.').count(), 0);
    await page.getByLabel('Code from the app, or a recovery code').fill(adaCodes[2]);
    await page.getByRole('button', { name: 'Turn off' }).click();
    await page.getByRole('button', { name: 'Set up two-factor sign-in' }).waitFor();
    await record(page, 'turned-off-with-recovery-code');
  });
});
