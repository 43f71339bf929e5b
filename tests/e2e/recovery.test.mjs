// Account recovery in the console (SPEC 11): "Forgot password?" on the
// sign-in page (which drops the "You signed out." of a moment ago) says the
// same thing whatever the address; the e-mailed
// one-time password, read back from the .eml file, signs in to the "set a
// new password" page; an admin's "Send password reset" in an active
// member's Action menu asks first and confirms with a toast. Every new
// screen is scanned with axe-core.
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import { launch } from './lib/browser.mjs';
import { Roster } from './lib/roster.mjs';
import { story } from './lib/story.mjs';
import { expectToast, menuClosed, row, rowAction, setNewPassword, signIn, waitForTableIdle } from './lib/ui.mjs';

const PASSWORDS = {
  ada: 'violet-harbor-quantum-lantern-58',
  bob: 'copper-meadow-signal-orchid-731',
  bobNew: 'glacier-tandem-marble-pickle-904',
};

let roster;
let base;
let orgId;
const browsers = [];
let ada;
let bob;

const { step, record } = story('recovery', { pages: () => ({ ada, bob }) });

async function newPage() {
  const browser = await launch();
  browsers.push(browser);
  const page = await browser.context.newPage();
  page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
  return page;
}

/** A JSON request to the API with the page's session cookie. */
async function api(page, method, path, data) {
  const response = await page.request.fetch(`${base}/api/v1${path}`, {
    method, data, headers: { 'X-Requested-With': 'roster' },
  });
  return { status: response.status(), json: await response.json().catch(() => null) };
}

/** What the "Check your e-mail" screen says, with the address taken out. */
async function confirmationText(page, email) {
  const alert = page.getByRole('status').filter({ hasText: 'one-time password' });
  await alert.waitFor();
  return (await alert.innerText()).replace(email, '<address>');
}

describe('account recovery', () => {
  before(async () => {
    roster = await Roster.start();
    const otp = await roster.createOrganization('Acme Sales', 'ada@acme.test', 'Ada Admin');
    base = await roster.serve();
    ada = await newPage();
    await signIn(ada, base, 'ada@acme.test', otp);
    await ada.waitForURL(/\/password$/);
    await setNewPassword(ada, PASSWORDS.ada);
    await ada.waitForURL(/\/orgs\/\d+\/users$/);
    orgId = ada.url().match(/\/orgs\/(\d+)\//)[1];
    const invited = await api(ada, 'POST', `/orgs/${orgId}/invitations`, { email: 'bob@acme.test', name: 'Bob Seller' });
    assert.equal(invited.status, 201);
    bob = await newPage();
    await signIn(bob, base, 'bob@acme.test', await roster.oneTimePasswordFor('bob@acme.test'));
    await bob.waitForURL(/\/password$/);
    await setNewPassword(bob, PASSWORDS.bob);
    await bob.waitForURL(/\/orgs\/\d+\/users$/);
    await bob.getByRole('button', { name: /Bob Seller/ }).click();
    await bob.getByRole('menuitem', { name: 'Sign out' }).click();
    await bob.waitForURL(/\/login/);
  });

  after(async () => {
    for (const browser of browsers) await browser.close().catch(() => {});
    if (roster) await roster.stop();
  });

  let unknownText;

  step('"Forgot password?" on the sign-in page opens the reset form; back on sign-in, "You signed out." is gone', async () => {
    // Bob has just signed out: the sign-in page says so, but only then.
    const signedOut = bob.getByText('You signed out.');
    await signedOut.waitFor();
    await bob.getByRole('link', { name: 'Forgot password?' }).click();
    await bob.waitForURL(/\/forgot-password$/);
    await bob.getByRole('heading', { name: 'Forgot your password?' }).waitFor();
    await bob.getByRole('link', { name: 'Back to sign in' }).click();
    await bob.waitForURL(/\/login$/);
    await bob.getByRole('button', { name: 'Sign in' }).waitFor();
    assert.equal(await signedOut.count(), 0, 'the sign-in page still says "You signed out."');
    await bob.getByRole('link', { name: 'Forgot password?' }).click();
    await bob.getByRole('heading', { name: 'Forgot your password?' }).waitFor();
    await record(bob, 'recovery-01-forgot-form');
  });

  step('an unknown address is told the same as a known one, and gets no e-mail', async () => {
    const before = await roster.mailCount();
    await bob.getByLabel('E-mail').fill('nobody@acme.test');
    await bob.getByRole('button', { name: 'Send password reset' }).click();
    await bob.getByRole('heading', { name: 'Check your e-mail' }).waitFor();
    unknownText = await confirmationText(bob, 'nobody@acme.test');
    await record(bob, 'recovery-02-check-your-email');

    await bob.goto(`${base}/forgot-password`);
    await bob.getByLabel('E-mail').fill('bob@acme.test');
    await bob.getByRole('button', { name: 'Send password reset' }).click();
    await bob.getByRole('heading', { name: 'Check your e-mail' }).waitFor();
    assert.equal(await confirmationText(bob, 'bob@acme.test'), unknownText);
    await roster.oneTimePasswordFor('bob@acme.test', { after: before });
    assert.deepEqual(await roster.mailsTo('nobody@acme.test'), []);
  });

  step('the e-mailed one-time password signs in to "Set a new password"', async () => {
    const mails = await roster.mailsTo('bob@acme.test');
    const reset = mails[mails.length - 1];
    assert.match(reset.text, /^Subject: Reset your Roster password/m);
    assert.match(reset.text, /^Expires: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/m);
    const otp = reset.text.match(/^One-time password: (\S+)\s*$/m)[1];
    // Until the new password is set, the old one still works.
    const old = await bob.request.post(`${base}/api/v1/auth/login`, {
      data: { email: 'bob@acme.test', password: PASSWORDS.bob }, headers: { 'X-Requested-With': 'roster' },
    });
    assert.equal(old.status(), 200);
    await bob.request.post(`${base}/api/v1/auth/logout`, { headers: { 'X-Requested-With': 'roster' } });

    await bob.goto(`${base}/login`);
    await bob.getByText('or the one-time password from your invitation or password reset e-mail.').waitFor();
    await signIn(bob, base, 'bob@acme.test', otp);
    await bob.waitForURL(/\/password$/);
    await bob.getByRole('heading', { name: 'Set a new password' }).waitFor();
    // He had a password: the invitation's welcome would not fit.
    await bob.getByText('Choose a new password: 15 to 128 characters').waitFor();
    assert.equal(await bob.getByText('Welcome').count(), 0);
    await record(bob, 'recovery-03-set-new-password');
    await setNewPassword(bob, PASSWORDS.bobNew);
    await bob.waitForURL(/\/orgs\/\d+\/users$/);
    await expectToast(bob, 'Your new password is set.');
    const stale = await bob.request.post(`${base}/api/v1/auth/login`, {
      data: { email: 'bob@acme.test', password: otp }, headers: { 'X-Requested-With': 'roster' },
    });
    assert.equal(stale.status(), 401, 'the one-time password works only until the new password is set');
  });

  step('an admin sends an active member a password reset from the Action menu', async () => {
    await ada.reload();
    await ada.getByRole('heading', { name: 'Org users' }).waitFor();
    await waitForTableIdle(ada);
    const before = await roster.mailCount();
    await rowAction(ada, 'Bob Seller', 'Send password reset');
    const confirm = ada.getByRole('tooltip').filter({ hasText: 'Send Bob Seller a password reset?' });
    await confirm.waitFor();
    await record(ada, 'recovery-04-admin-confirm');
    // The confirmation sits beside the Action button: the member's name and
    // e-mail stay readable next to it.
    const box = await confirm.boundingBox();
    const email = await ada.getByRole('row', { name: /Bob Seller/ }).getByText('bob@acme.test').boundingBox();
    assert.ok(box.x >= email.x + email.width, `the confirmation (x ${box.x}) covers the e-mail (ends at ${email.x + email.width})`);
    await confirm.getByRole('button', { name: 'Send' }).click();
    await expectToast(ada, 'A password reset was sent to bob@acme.test.');
    await record(ada, 'recovery-05-admin-toast');
    await roster.oneTimePasswordFor('bob@acme.test', { after: before });
    const mails = await roster.mailsTo('bob@acme.test');
    assert.match(mails[mails.length - 1].text, /Ada Admin/);
  });

  step('an invited member\'s menu offers no password reset', async () => {
    const invited = await api(ada, 'POST', `/orgs/${orgId}/invitations`, { email: 'ivy@acme.test', name: 'Ivy Invited' });
    assert.equal(invited.status, 201);
    await ada.reload();
    await row(ada, 'Ivy Invited').waitFor();
    await waitForTableIdle(ada);
    await menuClosed(ada);
    await row(ada, 'Ivy Invited').getByRole('button', { name: /^Action/ }).click();
    await ada.getByRole('menuitem', { name: 'Resend invite' }).waitFor();
    assert.equal(await ada.getByRole('menuitem', { name: 'Send password reset' }).count(), 0);
    await ada.keyboard.press('Escape');
  });
});
