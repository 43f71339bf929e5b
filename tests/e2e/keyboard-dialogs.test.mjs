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

/** The names Chromium gives screen readers for the elements of `role` on
 *  the page (its own accessibility tree, where CSS-generated text counts). */
async function accessibleNames(role) {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { nodes } = await cdp.send('Accessibility.getFullAXTree');
    return nodes.filter((node) => !node.ignored && node.role?.value === role).map((node) => node.name?.value ?? '');
  } finally {
    await cdp.detach();
  }
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
  step('F12: a sortable header reached by Tab has the 3 px focus ring', async () => {
    await open('users', 'dan@acme.test');
    await page.locator('.ant-table-thead .ant-table-selection-column input').first().focus();
    await page.keyboard.press('Tab');
    await page.waitForFunction(() => document.activeElement?.tagName === 'TH', null, { timeout: 5000 }).catch(async () => {
      throw new Error(`Tab went to ${await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 120))}, not to Name's header`);
    });
    const ring = await page.evaluate(() => {
      const header = document.activeElement;
      const style = getComputedStyle(header);
      return { name: header.getAttribute('aria-label'), visible: header.matches(':focus-visible'),
               outline: `${style.outlineStyle} ${style.outlineWidth}` };
    });
    assert.deepEqual(ring, { name: 'Name', visible: true, outline: 'solid 3px' });
  });

  step('F12: Space sorts a focused header as Enter does', async () => {
    await open('users', 'dan@acme.test');
    const header = page.locator('.ant-table-thead th[aria-label="Name"]').first();
    await header.focus();
    const sorted = (order) => page.waitForFunction((wanted) => {
      const th = document.querySelector('.ant-table-thead th[aria-label="Name"]');
      return document.activeElement === th && (th.getAttribute('aria-sort') ?? 'none') === wanted;
    }, order, { timeout: 5000 }).catch(async () => {
      const now = await header.getAttribute('aria-sort');
      throw new Error(`Name's header is sorted "${now ?? 'none'}", not "${order}"`);
    });
    const scrolled = await page.evaluate(() => window.scrollY);
    await page.keyboard.press('Space');
    await sorted('ascending');
    await page.keyboard.press('Space');
    await sorted('descending');
    // The server's answer in the new order, not only the header's arrow.
    await page.waitForFunction(() => document.querySelector('.ant-table-tbody tr.ant-table-row')?.innerText.includes('Dan Doer'),
                               null, { timeout: 5000 }).catch(async () => {
      throw new Error(`the first row is ${await page.locator('.ant-table-tbody tr.ant-table-row').first().innerText()}, not Dan Doer`);
    });
    await page.keyboard.press('Enter');
    await sorted('none');
    assert.equal(await page.evaluate(() => window.scrollY), scrolled, 'Space scrolled the page');
  });

  step('F15: the search buttons say what they search', async () => {
    await open('users', 'dan@acme.test');
    assert.deepEqual((await accessibleNames('button')).filter((name) => /search/i.test(name)), ['Search members']);
    await open('leads', 'Kurt Kunde');
    assert.deepEqual((await accessibleNames('button')).filter((name) => /search/i.test(name)), ['Search the leads']);
  });

  step('F15: a required select\'s name has no "*"', async () => {
    await open('leads', 'Kurt Kunde');
    const dialog = await openWithEnter('Reassign Kurt Kunde', 'Reassign lead');
    await dialog.locator('#lead-new-owner').waitFor();
    assert.ok((await accessibleNames('combobox')).includes('New owner'), `combobox names: ${JSON.stringify(await accessibleNames('combobox'))}`);
    await escapeBackTo(dialog, 'Reassign Kurt Kunde');
  });

  step('F15: the select-all tick box is named', async () => {
    await open('users', 'dan@acme.test');
    assert.ok((await accessibleNames('checkbox')).includes('Select all on this page'),
              `tick box names: ${JSON.stringify(await accessibleNames('checkbox'))}`);
  });

  step('F15: the invite form\'s Role is a named group', async () => {
    await open('users', 'dan@acme.test');
    const dialog = await openWithEnter('Invite', 'Invite a user');
    await dialog.getByRole('radio', { name: 'Org admin' }).waitFor({ state: 'attached' });
    assert.deepEqual(await accessibleNames('radiogroup'), ['Role']);
    await escapeBackTo(dialog, 'Invite');
  });
});
