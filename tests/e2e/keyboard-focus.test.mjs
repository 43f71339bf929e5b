// Where the keyboard's focus goes after the dialogs that open from a row's
// Action menu or a selection's bar, with the keyboard alone (Enter, the
// arrows, Tab, Space, Escape), against a real `roster serve`: "Resend
// invite", Remove, Deactivate and Reactivate on Org users, Unassign on an
// assistant, the bulk actions' results and the Leads page's bulk reassign.
// Each used to drop the focus to the page's body, and a keyboard user started
// again from the top. The dialogs with a receiver field open in it, not on ×.
//
// The steps build on each other; after a failure the rest are skipped.
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import { startAcmeWithAda } from './lib/acme.mjs';
import { story } from './lib/story.mjs';
import { apiAs, expectToast, focusOn, menuClosed, navigate, row, waitForTableIdle } from './lib/ui.mjs';

const PASSWORD = 'violet-harbor-quantum-lantern-58';
const JOINED_PASSWORD = 'copper-meadow-signal-orchid-731';

let roster;
let base;
let browser;
let page;
const ids = {};

const scene = story('keyboard-focus', { pages: () => ({ admin: page }) });
const { step } = scene;
const record = (name) => scene.record(page, name);

const api = (method, path, body) => apiAs(page, base, method, path, body);

/** Signs `email` in with its invitation's one-time password and sets a password, outside the browser. */
async function join(email) {
  const otp = await roster.oneTimePasswordFor(email);
  const headers = { 'Content-Type': 'application/json', 'X-Requested-With': 'roster' };
  const login = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers, body: JSON.stringify({ email, password: otp }) });
  assert.equal(login.status, 200);
  const cookie = login.headers.get('set-cookie').split(';')[0];
  const set = await fetch(`${base}/api/v1/auth/password`, {
    method: 'POST', headers: { ...headers, Cookie: cookie },
    body: JSON.stringify({ current_password: otp, new_password: JOINED_PASSWORD }),
  });
  assert.equal(set.status, 204, await set.text());
}

/** The accessible name of the focused element, as `focusOn` reads it. */
const focused = () => page.evaluate(() => {
  const active = document.activeElement;
  return active?.getAttribute('aria-label') ?? active?.textContent.trim() ?? '';
});

/** Presses `key` until the focus is on the element named `name` (at most
 *  `limit` times), each time waiting for the focus to move: a menu moves it
 *  a moment after the key, and reading too early pressed once too often. */
async function pressUntil(key, name, limit = 12) {
  for (let presses = 0; presses < limit && (await focused()) !== name; presses += 1) {
    const before = await page.evaluateHandle(() => document.activeElement);
    await page.keyboard.press(key);
    await page.waitForFunction((element) => document.activeElement !== element, before, { timeout: 2000 }).catch(() => {});
    await before.dispose();
  }
  await focusOn(page, name);
}

/** With the keyboard: Enter on the focused row's "Action for {person}",
 *  ArrowDown to `item`, Enter. */
async function menuItem(person, item) {
  await menuClosed(page);
  // Where a keyboard user's Tab walk would stop; the rest is keys.
  await row(page, person).getByRole('button', { name: `Action for ${person}` }).focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.activeElement?.getAttribute('role') === 'menuitem');
  await pressUntil('ArrowDown', item);
  await page.keyboard.press('Enter');
}

/** Waits for the focus to be in the field whose id is `id` (a dialog's first field). */
async function focusInField(id) {
  await page.waitForFunction((wanted) => document.activeElement?.id === wanted, id, { timeout: 5000 }).catch(async () => {
    const where = await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 120));
    throw new Error(`the focus is not in #${id} but on ${where}`);
  });
}

/** In the focused Select: ArrowDown opens its list, then ArrowDown to the option with `text`, and Enter. */
async function pickWithKeys(text) {
  await page.keyboard.press('ArrowDown');
  const active = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option-active');
  await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', { hasText: text }).waitFor();
  await active.waitFor();
  for (let presses = 0; presses < 12; presses += 1) {
    const before = await active.innerText();
    if (before.includes(text)) break;
    await page.keyboard.press('ArrowDown');
    // The list marks the next option a moment after the key.
    await page.waitForFunction((was) => document.querySelector(
      '.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option-active')?.innerText !== was, before, { timeout: 2000 })
      .catch(() => {});
  }
  assert.match(await active.innerText(), new RegExp(text));
  await page.keyboard.press('Enter');
}

describe('keyboard focus after the row and bulk dialogs', () => {
  before(async () => {
    ({ roster, base, browser, page } = await startAcmeWithAda(PASSWORD));
    ids.outbound = (await api('POST', '/orgs/1/assistants', { name: 'Outbound EU' })).id;
    for (const [name, email, onAssistant] of [
      ['Bea Boss', 'bea@acme.test', true], ['Carl Closer', 'carl@acme.test', true], ['Dan Doer', 'dan@acme.test', true],
      ['Eve Extra', 'eve@acme.test', true], ['Fay Pending', 'fay@acme.test', false], ['Gus Guest', 'gus@acme.test', false],
      ['Hal Helper', 'hal@acme.test', false],
    ]) {
      const member = await api('POST', '/orgs/1/invitations', { name, email, role: 'user', assistant_ids: onAssistant ? [ids.outbound] : [] });
      ids[name] = member.user_id;
    }
    for (const email of ['bea@acme.test', 'carl@acme.test', 'dan@acme.test', 'eve@acme.test', 'hal@acme.test']) await join(email);
    for (const [lead, owner] of [['Kurt Kunde', 'Carl Closer'], ['Lina Lead', 'Carl Closer'], ['Mia Markt', 'Dan Doer'],
                                 ['Nora Nord', 'Eve Extra']]) {
      await api('POST', '/orgs/1/leads', { name: lead, email: `${lead.split(' ')[0].toLowerCase()}@prospect.test`,
                                           assistant_id: ids.outbound, owner_id: ids[owner] });
    }
    await page.reload();
    await page.getByRole('heading', { name: 'Org users' }).waitFor();
    await waitForTableIdle(page);
    await row(page, 'hal@acme.test').waitFor();
  });

  after(async () => {
    if (browser) await browser.close().catch(() => {});
    if (roster) await roster.stop();
  });

  step('"Resend invite" gives the focus back to the row\'s Action button', async () => {
    await menuItem('Fay Pending', 'Resend invite');
    await expectToast(page, 'Invitation resent to fay@acme.test.');
    await focusOn(page, 'Action for Fay Pending');
  });

  step('Remove opens in "Give the leads to"; Escape gives the focus back to the Action button', async () => {
    await menuItem('Carl Closer', 'Remove from organization');
    const dialog = page.getByRole('dialog', { name: 'Remove Carl Closer from Acme Sales?' });
    await dialog.waitFor();
    await focusInField('removal-receiver');
    await record('remove-focus-in-receiver');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await focusOn(page, 'Action for Carl Closer');
  });

  step('after Remove\'s Proceed, whose row is gone, the focus is on the next row\'s Action button', async () => {
    await menuItem('Carl Closer', 'Remove from organization');
    const dialog = page.getByRole('dialog', { name: 'Remove Carl Closer from Acme Sales?' });
    await focusInField('removal-receiver');
    await pickWithKeys('Bea Boss');
    await dialog.getByText('Carl Closer\'s 2 leads go to Bea Boss').waitFor();
    await pressUntil('Tab', 'Proceed');
    await page.keyboard.press('Enter');
    await expectToast(page, 'Carl Closer was removed from Acme Sales; 2 leads went to Bea Boss.');
    await dialog.waitFor({ state: 'hidden' });
    await focusOn(page, 'Action for Dan Doer');
    assert.equal(await row(page, 'carl@acme.test').count(), 0);
  });

  step('"Deactivate instead" leaves the focus in the Deactivate dialog, and its Escape gives it back to the Action button', async () => {
    await menuItem('Hal Helper', 'Remove from organization');
    const remove = page.getByRole('dialog', { name: 'Remove Hal Helper from Acme Sales?' });
    await remove.getByText('Hal Helper owns no leads.').waitFor();
    await pressUntil('Tab', 'Deactivate instead');
    await page.keyboard.press('Enter');
    const deactivate = page.getByRole('dialog', { name: 'Deactivate member' });
    await deactivate.getByText('Hal Helper owns no leads.').waitFor();
    await remove.waitFor({ state: 'hidden' });
    // The Remove dialog, closed after this one opened, gives the focus back
    // to its Action button: it must not stay there, behind this dialog.
    await page.waitForFunction(() => document.activeElement?.closest('.ant-modal-wrap')?.querySelector('.ant-modal-title')
      ?.textContent === 'Deactivate member', null, { timeout: 5000 }).catch(async () => {
      const where = await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 120));
      throw new Error(`the focus is not in the Deactivate dialog but on ${where}`);
    });
    await page.keyboard.press('Escape');
    await deactivate.waitFor({ state: 'hidden' });
    await focusOn(page, 'Action for Hal Helper');
  });

  step('Deactivate opens in its receiver field; Escape and Deactivate give the focus back to the Action button', async () => {
    await menuItem('Eve Extra', 'Deactivate');
    const dialog = page.getByRole('dialog', { name: 'Deactivate member' });
    await focusInField('deactivation-receiver');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await focusOn(page, 'Action for Eve Extra');

    await menuItem('Eve Extra', 'Deactivate');
    await focusInField('deactivation-receiver');
    await pickWithKeys('Bea Boss');
    await pressUntil('Tab', 'Deactivate');
    await page.keyboard.press('Enter');
    await expectToast(page, 'Eve Extra is deactivated; 1 lead moved.');
    await dialog.waitFor({ state: 'hidden' });
    await focusOn(page, 'Action for Eve Extra');
  });

  step('Reactivate gives the focus back to the Action button', async () => {
    await menuItem('Eve Extra', 'Reactivate');
    const dialog = page.getByRole('dialog', { name: 'Reactivate member' });
    await dialog.waitFor();
    await pressUntil('Tab', 'Reactivate');
    await page.keyboard.press('Enter');
    await expectToast(page, 'Eve Extra is active again.');
    await dialog.waitFor({ state: 'hidden' });
    await focusOn(page, 'Action for Eve Extra');
  });

  step('after a bulk action\'s results, OK puts the focus on the first member\'s tick box (the bar is gone)', async () => {
    for (const name of ['Bea Boss', 'Gus Guest']) {
      await page.getByRole('checkbox', { name: `Select ${name}` }).focus();
      await page.keyboard.press('Space');
    }
    const bar = page.getByRole('region', { name: 'Selected members' });
    await bar.getByRole('button', { name: 'Resend invite' }).focus();
    await page.keyboard.press('Enter');
    const results = page.getByRole('dialog', { name: 'Resend invite: 1 done, 1 failed' });
    await results.waitFor();
    await pressUntil('Tab', 'OK');
    await page.keyboard.press('Enter');
    await results.waitFor({ state: 'hidden' });
    await focusOn(page, 'Select Bea Boss');
  });

  step('Leads: "Reassign 1 lead" opens in New owner; Escape gives the focus back, Proceed to the lead\'s tick box', async () => {
    await navigate(page, 'Leads');
    await page.getByRole('heading', { name: 'Leads' }).waitFor();
    await waitForTableIdle(page);
    await page.getByRole('checkbox', { name: 'Select Kurt Kunde' }).focus();
    await page.keyboard.press('Space');
    const reassign = page.getByRole('button', { name: 'Reassign 1 lead' });
    await reassign.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Reassign 1 lead' });
    await focusInField('bulk-new-owner');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await focusOn(page, 'Reassign 1 lead');

    await page.keyboard.press('Enter');
    await focusInField('bulk-new-owner');
    await pickWithKeys('Eve Extra');
    await pressUntil('Tab', 'Proceed');
    await page.keyboard.press('Enter');
    await expectToast(page, '1 lead now belong to Eve Extra.');
    await dialog.waitFor({ state: 'hidden' });
    await focusOn(page, 'Select Kurt Kunde');
  });

  step('Leads: a reassignment to the owner it already has gives the focus back the same way', async () => {
    await page.getByRole('checkbox', { name: 'Select Kurt Kunde' }).focus();
    await page.keyboard.press('Space');
    await page.getByRole('button', { name: 'Reassign 1 lead' }).focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Reassign 1 lead' });
    await focusInField('bulk-new-owner');
    await pickWithKeys('Eve Extra');
    await pressUntil('Tab', 'Proceed');
    await page.keyboard.press('Enter');
    await expectToast(page, 'Eve Extra already owned this lead.');
    await dialog.waitFor({ state: 'hidden' });
    await focusOn(page, 'Select Kurt Kunde');
  });

  step('Unassign opens in "Give the leads to"; Escape, then Proceed (the row gone), keep the focus in the list', async () => {
    await navigate(page, 'Assistants');
    await page.getByRole('heading', { name: 'Assistants' }).waitFor();
    await page.getByRole('link', { name: 'Outbound EU' }).click();
    await page.getByRole('heading', { name: 'Outbound EU' }).waitFor();
    await waitForTableIdle(page);
    await row(page, 'Dan Doer').waitFor();
    await menuItem('Dan Doer', 'Unassign');
    const dialog = page.getByRole('dialog', { name: 'Unassign Dan Doer from Outbound EU?' });
    await focusInField('unassign-receiver');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await focusOn(page, 'Action for Dan Doer');

    await menuItem('Dan Doer', 'Unassign');
    await focusInField('unassign-receiver');
    await pickWithKeys('Bea Boss');
    await pressUntil('Tab', 'Proceed');
    await page.keyboard.press('Enter');
    await expectToast(page, 'Dan Doer was unassigned from Outbound EU; 1 lead went to Bea Boss.');
    await dialog.waitFor({ state: 'hidden' });
    await focusOn(page, 'Action for Eve Extra');
  });
});
