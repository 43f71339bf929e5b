// Offboarding in the console, against a real `roster serve` (SPEC.md
// section 8): the admin sets the offboarding policy on the Settings page,
// deactivates a rep from the Org users Action menu (the dialog says where
// his leads go), finds him under the "Deactivated" filter while his own
// session is refused, reactivates him, and sees the removal dialog offer
// deactivation instead. Every step saves a screenshot to test-results/e2e/
// and checks the page with axe-core.
//
// The steps build on each other; after a failure the rest are skipped.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { launch, screenshot } from './lib/browser.mjs';
import { Roster } from './lib/roster.mjs';
import { story } from './lib/story.mjs';
import {
  apiAs, choose, expectToast, menuClosed, navigate, row, rowAction, setNewPassword, signIn, waitForTableIdle,
} from './lib/ui.mjs';

const PASSWORDS = {
  ada: 'violet-harbor-quantum-lantern-58',
  bea: 'copper-meadow-signal-orchid-731',
  carl: 'amber-glacier-piano-thunder-904',
};

let roster;
let base;
const browsers = {};
const pages = {};
const ids = {};

const { step, record, recordAtPhoneWidth } = story('lifecycle', { pages: () => pages });

async function personPage(who) {
  browsers[who] = await launch();
  pages[who] = await browsers[who].context.newPage();
  pages[who].on('pageerror', (error) => console.error(`[${who}] page error: ${error.message}`));
  return pages[who];
}

const api = (page, method, path, body) => apiAs(page, base, method, path, body);

/** Invites `email`, and has him sign in and set his password in his own browser. */
async function join(admin, who, email, name) {
  const member = await api(admin, 'POST', '/orgs/1/invitations', { email, name });
  ids[who] = member.user_id;
  const page = await personPage(who);
  await signIn(page, base, email, await roster.oneTimePasswordFor(email));
  await page.waitForURL(/\/password$/);
  await setNewPassword(page, PASSWORDS[who]);
  await page.waitForURL(/\/orgs\/\d+\/users$/);
  return page;
}

async function orgUsers(page) {
  await page.getByRole('heading', { name: 'Org users' }).waitFor();
  await waitForTableIdle(page);
}

describe('deactivation, reactivation and the offboarding policy in the console', () => {
  before(async () => {
    roster = await Roster.start();
    const otp = await roster.createOrganization('Acme Sales', 'ada@acme.test', 'Ada Admin');
    base = await roster.serve();
    const page = await personPage('ada');
    await signIn(page, base, 'ada@acme.test', otp);
    await page.waitForURL(/\/password$/);
    await setNewPassword(page, PASSWORDS.ada);
    await page.waitForURL(/\/orgs\/\d+\/users$/);
    ids.ada = (await api(page, 'GET', '/me')).user.id;
    // Bea manages the assistant; Carl works two leads on it.
    await join(page, 'bea', 'bea@acme.test', 'Bea Manager');
    await join(page, 'carl', 'carl@acme.test', 'Carl Rep');
    ids.assistant = (await api(page, 'POST', '/orgs/1/assistants', { name: 'Outbound EU' })).id;
    await api(page, 'PUT', `/orgs/1/assistants/${ids.assistant}/users/${ids.bea}`, { is_manager: true });
    await api(page, 'PUT', `/orgs/1/assistants/${ids.assistant}/users/${ids.carl}`, {});
    for (const name of ['Grace Hopper', 'Alan Turing']) {
      await api(page, 'POST', '/orgs/1/leads', { name, email: 'lead@prospect.test', assistant_id: ids.assistant, owner_id: ids.carl });
    }
  });

  after(async () => {
    for (const browser of Object.values(browsers)) await browser.close().catch(() => {});
    if (roster) await roster.stop();
  });

  step('the admin sets the offboarding policy on the Settings page', async () => {
    const page = pages.ada;
    await navigate(page, 'Settings');
    await page.waitForURL(/\/orgs\/1\/settings$/);
    await page.getByRole('heading', { name: 'Offboarding' }).waitFor();
    const prefer = page.getByRole('switch', { name: "Prefer the assistant's manager" });
    await prefer.waitFor();
    assert.equal(await prefer.isChecked(), false);
    const save = page.getByRole('button', { name: 'Save' });
    assert.equal(await save.isDisabled(), true, 'nothing to save yet');
    await record(page, 'settings-empty');

    await prefer.click();
    await choose(page, page.getByLabel('Default heir'), 'Ada Admin', 'Ada');
    await save.click();
    await expectToast(page, 'The offboarding policy is saved.');
    // Save turns disabled: the focus goes to the card's title, not to the body.
    await page.waitForFunction(() => document.activeElement?.tagName === 'H2'
      && document.activeElement.textContent === 'Offboarding', null, { timeout: 5000 });
    assert.deepEqual((await api(page, 'GET', '/orgs/1/settings')).offboarding,
                     { heir_user_id: ids.ada, prefer_assistant_manager: true });
    // The saved heir reads as a name after a reload too.
    await page.reload();
    await page.getByRole('heading', { name: 'Offboarding' }).waitFor();
    await page.locator('#main .ant-select', { hasText: 'Ada Admin' }).waitFor();
    assert.equal(await page.getByRole('switch', { name: "Prefer the assistant's manager" }).isChecked(), true);
    await record(page, 'settings-saved');
  });

  step('the audit log says the settings change in words', async () => {
    const page = pages.ada;
    await navigate(page, 'Audit log');
    await page.getByRole('heading', { name: 'Audit log' }).waitFor();
    await waitForTableIdle(page);
    const change = row(page, 'Settings changed');
    await change.getByText('Default heir: nobody → Ada Admin', { exact: true }).waitFor();
    await change.getByText("Prefer the assistant's manager: off → on", { exact: true }).waitFor();
    const text = await change.innerText();
    assert.ok(!/heir_user_id|offboarding|[{}]/.test(text), `raw settings in the audit log: ${text}`);
    await record(page, 'audit-settings-changed');
  });

  step('a user has no Settings page', async () => {
    const page = pages.bea;
    const links = await page.getByRole('navigation', { name: 'Main' }).getByRole('link').allInnerTexts();
    assert.ok(!links.includes('Settings'), `a user's menu: ${links}`);
    await page.goto(`${base}/orgs/1/settings`);
    await page.getByText('Only the organization\'s admins can change its settings.').waitFor();
  });

  step('"Deactivate" in the Action menu says where the leads go, and moves them', async () => {
    const page = pages.ada;
    await navigate(page, 'Org users');
    await orgUsers(page);
    await rowAction(page, 'carl@acme.test', 'Deactivate');
    const dialog = page.getByRole('dialog', { name: 'Deactivate member' });
    await dialog.getByText('Carl Rep owns').waitFor();
    await dialog.getByText('Outbound EU').waitFor();
    await dialog.getByText(/By the offboarding policy, the leads go to each assistant's manager/).waitFor();
    await record(page, 'deactivate-dialog-policy');

    // Naming a receiver says so instead.
    await choose(page, dialog.getByLabel('Give the leads to'), 'Ada Admin', 'Ada');
    await dialog.getByText('All 2 leads go to Ada Admin (ada@acme.test).').waitFor();
    await record(page, 'deactivate-dialog-receiver');
    await dialog.locator('.ant-select-clear').click({ force: true });
    await dialog.getByText(/By the offboarding policy/).waitFor();

    await dialog.getByRole('button', { name: 'Deactivate' }).click();
    await expectToast(page, 'Carl Rep is deactivated; 2 leads moved.');
    await dialog.waitFor({ state: 'hidden' });
    await row(page, 'carl@acme.test').getByText('Deactivated').waitFor();
    const leads = await api(page, 'GET', `/orgs/1/leads?owner_id=${ids.bea}`);
    assert.equal(leads.items.length, 2, 'the manager of the assistant received both leads');
    await record(page, 'deactivated-row');
  });

  step('the deactivated rep is refused at once and listed under "Deactivated"', async () => {
    const carl = pages.carl;
    await carl.reload();
    await carl.waitForURL(/\/login/);
    await signIn(carl, base, 'carl@acme.test', PASSWORDS.carl);
    await carl.getByText('You have no active organization').waitFor();

    const page = pages.ada;
    await page.getByRole('combobox', { name: 'Filter by status' }).click();
    await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', { hasText: 'Deactivated' }).click();
    await waitForTableIdle(page);
    await page.waitForFunction(() => document.querySelectorAll('.ant-table-tbody tr.ant-table-row').length === 1);
    await row(page, 'carl@acme.test').waitFor();
    await record(page, 'deactivated-filter');
  });

  step('the assistant\'s users mark him "Deactivated" too', async () => {
    const page = pages.ada;
    await page.goto(`${base}/orgs/1/assistants/${ids.assistant}`);
    await waitForTableIdle(page);
    await row(page, 'carl@acme.test').getByText('Deactivated').waitFor();
    assert.equal(await row(page, 'bea@acme.test').getByText('Deactivated').count(), 0);
    await record(page, 'assistant-users-deactivated');
    // His Action menu does not offer what the server would refuse him.
    await row(page, 'carl@acme.test').getByRole('button', { name: /^Action/ }).click();
    await page.getByRole('menuitem', { name: 'Move all leads to…' }).waitFor();
    assert.equal(await page.getByRole('menuitem', { name: 'Make assistant manager' }).count(), 0);
    await page.keyboard.press('Escape');
    await menuClosed(page);
    await navigate(page, 'Org users');
    await orgUsers(page);
  });

  step('"Reactivate" brings him back with his role', async () => {
    const page = pages.ada;
    await rowAction(page, 'carl@acme.test', 'Reactivate');
    const dialog = page.getByRole('dialog', { name: 'Reactivate member' });
    await dialog.getByText('as a user').waitFor();
    await record(page, 'reactivate-dialog');
    await dialog.getByRole('button', { name: 'Reactivate' }).click();
    await expectToast(page, 'Carl Rep is active again.');
    const carl = await api(page, 'GET', `/orgs/1/members/${ids.carl}`);
    assert.equal(carl.status, 'active');
    assert.equal(carl.role, 'user');
    await pages.carl.reload();
    await pages.carl.waitForURL(/\/orgs\/1\/users$/);
  });

  step('the removal dialog offers deactivation, which can be undone', async () => {
    const page = pages.ada;
    await page.getByRole('combobox', { name: 'Filter by status' }).click();
    await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', { hasText: 'All statuses' }).click();
    await waitForTableIdle(page);
    await rowAction(page, 'bea@acme.test', 'Remove from organization');
    const removal = page.getByRole('dialog', { name: /^Remove Bea .* from / });
    await removal.getByText('Removal is for good.').waitFor();
    await record(page, 'remove-dialog-offers-deactivation');
    // On a phone the button goes under the words, which keep the alert's width
    // (beside them it left an 80 px column: "Deactivatin / g").
    const viewport = page.viewportSize();
    await page.setViewportSize({ width: 390, height: 844 });
    const alert = removal.locator('.removal-alternative');
    const widths = () => alert.evaluate((box) => ({
      text: box.querySelector('.ant-alert-description').getBoundingClientRect().width,
      alert: box.getBoundingClientRect().width,
    }));
    // The dialog lays itself out again after the resize: wait for it.
    await alert.evaluate((box) => new Promise((resolve) => {
      const wide = () => box.querySelector('.ant-alert-description').getBoundingClientRect().width
        > box.getBoundingClientRect().width * 0.7;
      const check = () => (wide() ? resolve() : requestAnimationFrame(check));
      check();
      setTimeout(resolve, 5000);
    }));
    const measured = await widths();
    assert.ok(measured.text > measured.alert * 0.7, `the alert's words are squeezed at 390 px: ${JSON.stringify(measured)}`);
    await record(page, 'remove-dialog-offers-deactivation-390');
    await page.setViewportSize(viewport);
    await removal.getByRole('button', { name: 'Deactivate instead' }).click();
    const dialog = page.getByRole('dialog', { name: 'Deactivate member' });
    await dialog.getByText('Bea Manager owns').waitFor();
    // Bea is the assistant's only manager: her leads go to the heir.
    await dialog.getByText(/where an assistant has no other manager, Ada Admin/).waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    assert.equal((await api(page, 'GET', `/orgs/1/members/${ids.bea}`)).status, 'active');
  });

  step('with a policy set, removal needs no receiver: the dialog says where the leads go', async () => {
    const page = pages.ada;
    await rowAction(page, 'bea@acme.test', 'Remove from organization');
    const removal = page.getByRole('dialog', { name: /^Remove Bea .* from / });
    await removal.getByText(
      /By the offboarding policy, Bea Manager's 2 leads go to each assistant's manager .* Ada Admin/).waitFor();
    assert.equal(await removal.getByText('Bea Manager owns no leads.').count(), 0);
    await record(page, 'remove-dialog-policy');
    await removal.getByRole('button', { name: 'Proceed' }).click();
    await expectToast(page, 'Bea Manager was removed from Acme Sales; 2 leads moved by the offboarding policy.');
    await removal.waitFor({ state: 'hidden' });
    const leads = await api(page, 'GET', `/orgs/1/leads?owner_id=${ids.ada}`);
    assert.equal(leads.items.length, 2, 'the heir received both leads');
  });

  step('Settings warns when the default heir has been deactivated since', async () => {
    const page = pages.ada;
    await api(page, 'PATCH', '/orgs/1/settings', { offboarding: { heir_user_id: ids.carl } });
    await api(page, 'POST', `/orgs/1/members/${ids.carl}/deactivate`);
    await navigate(page, 'Settings');
    await page.waitForURL(/\/orgs\/1\/settings$/);
    await page.locator('#main .ant-select', { hasText: 'Carl Rep' }).waitFor();
    const warning = page.locator('#offboarding-heir-inactive');
    await warning.getByText('Carl Rep is deactivated and cannot receive leads.').waitFor();
    assert.equal(await page.locator('#offboarding-heir').getAttribute('aria-describedby'), 'offboarding-heir-inactive');
    await record(page, 'settings-heir-deactivated');
    // Another heir, saved, ends the warning.
    await choose(page, page.getByLabel('Default heir'), 'Ada Admin', 'Ada');
    await warning.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Save' }).click();
    await expectToast(page, 'The offboarding policy is saved.');
    assert.equal((await api(page, 'GET', '/orgs/1/settings')).offboarding.heir_user_id, ids.ada);
  });

  step('the policy cannot place the leads on an assistant without another manager: "Give the leads to" is required, and says why', async () => {
    const page = pages.ada;
    // Prefer the assistant's manager, no default heir. Carl, back, works a
    // lead on Outbound EU (no manager since Bea left) and one on Inbound,
    // which Ada manages.
    await api(page, 'PATCH', '/orgs/1/settings', { offboarding: { heir_user_id: null, prefer_assistant_manager: true } });
    await api(page, 'POST', `/orgs/1/members/${ids.carl}/reactivate`);
    ids.inbound = (await api(page, 'POST', '/orgs/1/assistants', { name: 'Inbound' })).id;
    await api(page, 'PUT', `/orgs/1/assistants/${ids.inbound}/users/${ids.ada}`, { is_manager: true });
    await api(page, 'PUT', `/orgs/1/assistants/${ids.inbound}/users/${ids.carl}`, {});
    for (const assistant of [ids.assistant, ids.inbound]) {
      await api(page, 'POST', '/orgs/1/leads', { name: 'Ada Lovelace', email: 'ada@prospect.test', assistant_id: assistant, owner_id: ids.carl });
    }
    await navigate(page, 'Org users');
    await orgUsers(page);

    const gap = 'The offboarding policy cannot place the leads on Outbound EU: it has no active manager other than '
      + 'Carl Rep, and no default heir is set. Choose who receives them, or set a default heir in Settings.';
    // Both dialogs read the policy alike.
    await rowAction(page, 'carl@acme.test', 'Remove from organization');
    const removal = page.getByRole('dialog', { name: /^Remove Carl .* from / });
    await removal.getByText('Carl Rep owns').waitFor();
    await removal.getByText(gap).waitFor();
    assert.equal(await removal.getByText('Optional: leave empty to follow the offboarding policy.').count(), 0);
    await removal.getByRole('button', { name: 'Cancel' }).click();
    await removal.waitFor({ state: 'hidden' });

    await rowAction(page, 'carl@acme.test', 'Deactivate');
    const dialog = page.getByRole('dialog', { name: 'Deactivate member' });
    await dialog.getByText('Inbound').waitFor();
    await dialog.getByText(gap).waitFor();
    assert.equal(await dialog.getByText('Optional: leave empty to follow the offboarding policy.').count(), 0);
    assert.equal(await dialog.getByText(/By the offboarding policy/).count(), 0);
    assert.equal(await dialog.locator('label[for="deactivation-receiver"].ant-form-item-required').count(), 1,
                 '"Give the leads to" is marked required');
    await record(page, 'deactivate-dialog-policy-gap');
    await recordAtPhoneWidth(page, 'deactivate-dialog-policy-gap');
    // Deactivate with nobody chosen asks for someone, and sends nothing.
    await dialog.getByRole('button', { name: 'Deactivate' }).click();
    await dialog.getByText('Choose who receives the leads, or set an offboarding policy in Settings.').waitFor();
    assert.equal(await dialog.getByText(/reassign_to/).count(), 0);
    assert.equal((await api(page, 'GET', `/orgs/1/members/${ids.carl}`)).status, 'active');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
  });

  step('once every assistant has another manager, the policy places the leads and the field is optional again', async () => {
    const page = pages.ada;
    // Ada joined Outbound EU when she received Bea's leads.
    await api(page, 'PATCH', `/orgs/1/assistants/${ids.assistant}/users/${ids.ada}`, { is_manager: true });
    await rowAction(page, 'carl@acme.test', 'Deactivate');
    const dialog = page.getByRole('dialog', { name: 'Deactivate member' });
    await dialog.getByText("By the offboarding policy, the leads go to each assistant's manager who owns the fewest of its leads.").waitFor();
    await dialog.getByText('Optional: leave empty to follow the offboarding policy.').waitFor();
    assert.equal(await dialog.getByText(/cannot place/).count(), 0);
    await dialog.getByRole('button', { name: 'Deactivate' }).click();
    await expectToast(page, 'Carl Rep is deactivated; 2 leads moved.');
    await dialog.waitFor({ state: 'hidden' });
    const leads = await api(page, 'GET', `/orgs/1/leads?owner_id=${ids.carl}`);
    assert.equal(leads.items.length, 0);
  });

  step('reactivating someone deactivated before he joined says he gets a new invitation, and sends it', async () => {
    const page = pages.ada;
    const dora = await api(page, 'POST', '/orgs/1/invitations', { email: 'dora@acme.test', name: 'Dora Never' });
    const firstOtp = await roster.oneTimePasswordFor('dora@acme.test');
    await api(page, 'POST', `/orgs/1/members/${dora.user_id}/deactivate`);
    const mailsBefore = await roster.mailCount();
    await page.reload();
    await orgUsers(page);
    await rowAction(page, 'dora@acme.test', 'Reactivate');
    const dialog = page.getByRole('dialog', { name: 'Reactivate member' });
    await dialog.getByText(/never joined Acme Sales, so they get a new invitation instead/).waitFor();
    await dialog.getByText(/one-time password that works for 24 hours/).waitFor();
    assert.equal(await dialog.getByText(/can sign in to Acme Sales again/).count(), 0);
    await record(page, 'reactivate-dialog-never-joined');
    await recordAtPhoneWidth(page, 'reactivate-dialog-never-joined');
    await dialog.getByRole('button', { name: 'Reactivate and invite' }).click();
    await expectToast(page, 'Dora Never is invited again; the invitation e-mail is on its way.');
    await dialog.waitFor({ state: 'hidden' });
    assert.equal((await api(page, 'GET', `/orgs/1/members/${dora.user_id}`)).status, 'invited');
    // A new invitation e-mail, with a new one-time password.
    const otp = await roster.oneTimePasswordFor('dora@acme.test', { after: mailsBefore });
    assert.notEqual(otp, firstOtp);
    // A member who had joined still reads "can sign in again".
    await rowAction(page, 'carl@acme.test', 'Reactivate');
    const again = page.getByRole('dialog', { name: 'Reactivate member' });
    await again.getByText(/They can sign in to Acme Sales again/).waitFor();
    await again.getByRole('button', { name: 'Cancel' }).click();
    await again.waitFor({ state: 'hidden' });
  });
});
