// Two tabs of one browser share the session cookie: what one tab does to the
// session shows in the other at once, without a click, so that no tab shows
// one person's name over another person's data (docs/console.md, "session
// ended"). A sign-in as someone else in tab B follows into tab A; a sign-out
// in tab B takes tab A to Sign in with "Your session ended", which a reload
// of tab A still says (and of tab B does not); a sign-in that no tab
// announced (straight to the API) shows when tab A is back in view; a
// session ended where no tab heard of it is told after a reload.
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import { launch } from './lib/browser.mjs';
import { Roster } from './lib/roster.mjs';
import { story } from './lib/story.mjs';
import { apiAs, navigate, setNewPassword, signIn } from './lib/ui.mjs';

const PASSWORDS = {
  ada: 'violet-harbor-quantum-lantern-58',
  dan: 'copper-meadow-signal-orchid-731',
};

let roster;
let base;
let browser;
let tabA;
let tabB;

const { step, record } = story('tabs', { pages: () => ({ tabA, tabB }) });

/** The header's account button of `name` (the signed-in person a tab shows). */
const accountOf = (page, name) => page.getByRole('button', { name: `${name}, account menu` });

async function signOut(page, name) {
  await accountOf(page, name).click();
  await page.getByRole('menuitem', { name: 'Sign out' }).click();
  await page.waitForURL(/\/login/);
}

describe('two tabs of one browser', () => {
  before(async () => {
    roster = await Roster.start();
    const otp = await roster.createOrganization('Acme Sales', 'ada@acme.test', 'Ada Admin');
    base = await roster.serve();
    // Dan, a plain user, sets his password in a browser of his own.
    const dansBrowser = await launch();
    try {
      const page = await dansBrowser.context.newPage();
      await signIn(page, base, 'ada@acme.test', otp);
      await page.waitForURL(/\/password$/);
      await setNewPassword(page, PASSWORDS.ada);
      await page.waitForURL(/\/orgs\/\d+\/users$/);
      await apiAs(page, base, 'POST', '/orgs/1/invitations', { email: 'dan@acme.test', name: 'Dan Seller', role: 'user' });
      await signOut(page, 'Ada Admin');
      await signIn(page, base, 'dan@acme.test', await roster.oneTimePasswordFor('dan@acme.test'));
      await page.waitForURL(/\/password$/);
      await setNewPassword(page, PASSWORDS.dan);
      await page.waitForURL(/\/orgs\/\d+\/users$/);
    } finally {
      await dansBrowser.close();
    }
    browser = await launch();
    tabA = await browser.context.newPage();
    tabA.on('pageerror', (error) => console.error(`[tab A] page error: ${error.message}`));
  });

  after(async () => {
    if (browser) await browser.close().catch(() => {});
    if (roster) await roster.stop();
  });

  step('a sign-in as someone else in another tab shows in this tab at once', async () => {
    await signIn(tabA, base, 'ada@acme.test', PASSWORDS.ada);
    await tabA.waitForURL(/\/orgs\/\d+\/users$/);
    await navigate(tabA, 'Leads');
    await tabA.getByRole('heading', { name: 'Leads' }).waitFor();
    await accountOf(tabA, 'Ada Admin').waitFor();

    tabB = await browser.context.newPage();
    tabB.on('pageerror', (error) => console.error(`[tab B] page error: ${error.message}`));
    await tabB.goto(`${base}/`);
    await signOut(tabB, 'Ada Admin');
    await signIn(tabB, base, 'dan@acme.test', PASSWORDS.dan);
    await tabB.waitForURL(/\/orgs\/\d+\/users$/);

    // Tab A, untouched, now shows Dan on the page it was on, as a plain user.
    await accountOf(tabA, 'Dan Seller').waitFor();
    assert.match(tabA.url(), /\/orgs\/1\/leads$/);
    assert.equal(await accountOf(tabA, 'Ada Admin').count(), 0, 'tab A still shows Ada');
    assert.equal((await tabA.locator('.role-tag').innerText()).trim(), 'User');
    await tabA.getByRole('heading', { name: 'Leads' }).waitFor();
  });

  step('a sign-out in another tab takes this tab to Sign in, saying the session ended', async () => {
    await signOut(tabB, 'Dan Seller');
    await tabA.waitForURL(/\/login\?next=/);
    await tabA.getByRole('status').filter({ hasText: 'Your session ended; sign in again.' }).waitFor();
    await record(tabA, 'signed-out-in-another-tab');
  });

  step('reloaded, tab A\'s sign-in page still says the session ended; tab B, which signed out, says nothing of it', async () => {
    await tabA.reload();
    await tabA.getByLabel('E-mail').waitFor();
    await tabA.getByRole('status').filter({ hasText: 'Your session ended; sign in again.' }).waitFor({ timeout: 3000 });
    // Nor whose it was.
    assert.equal(await tabA.getByText(/Dan|Seller/).count(), 0);
    await tabB.reload();
    await tabB.getByLabel('E-mail').waitFor();
    assert.equal(await tabB.getByText('Your session ended').count(), 0);
    await record(tabA, 'session-ended-reloaded');
  });

  step('a sign-in no tab announced shows when this tab is back in view', async () => {
    await signIn(tabA, base, 'ada@acme.test', PASSWORDS.ada);
    await tabA.waitForURL(/\/orgs\/\d+\/users$/);
    await accountOf(tabA, 'Ada Admin').waitFor();
    // Another program of this browser signs in as Dan: the cookie changes,
    // and no tab of the console hears of it.
    const answer = await tabA.request.post(`${base}/api/v1/auth/login`, {
      data: { email: 'dan@acme.test', password: PASSWORDS.dan }, headers: { 'X-Requested-With': 'roster' },
    });
    assert.equal(answer.status(), 200, await answer.text());
    await tabA.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
    await accountOf(tabA, 'Dan Seller').waitFor();
    assert.equal(await accountOf(tabA, 'Ada Admin').count(), 0, 'tab A still shows Ada');
  });

  step('a session that ended where no tab heard of it (it expired): a reload lands on Sign in, which says so', async () => {
    const answer = await tabA.request.post(`${base}/api/v1/auth/logout`, { headers: { 'X-Requested-With': 'roster' } });
    assert.equal(answer.status(), 204, await answer.text());
    await tabA.reload();
    await tabA.waitForURL(/\/login\?next=/);
    await tabA.getByRole('status').filter({ hasText: 'Your session ended; sign in again.' }).waitFor({ timeout: 3000 });
    assert.equal(await tabA.getByText(/Dan|Seller/).count(), 0);
  });
});
