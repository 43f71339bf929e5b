// What a tester's walk through the console at 1280 and 390 px found, against
// a real `roster serve`: a stale "Who can see" on a lead no longer his to see,
// pages that did not fit a phone (API keys; Org users, an assistant's Users
// and Leads, whose rows did not say whose they were; the header's
// organization name), a lead's drawer showing a row read before another
// admin changed the lead, a sortable header without a name, the last
// admin's reasons that only a hover showed, the words a deactivated member
// meets on signing in and on her organization's pages, and an admin's own
// row still reading "Org admin" after a 403.
//
// The steps build on each other; after a failure the rest are skipped.
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import { startAcmeWithAda } from './lib/acme.mjs';
import { launch } from './lib/browser.mjs';
import { story } from './lib/story.mjs';
import { apiAs, choose, expectToast, menuClosed, navigate, row, rowAction, setNewPassword, signIn, waitForTableIdle } from './lib/ui.mjs';

const PASSWORD = 'violet-harbor-quantum-lantern-58';
const JOINED_PASSWORD = 'copper-meadow-signal-orchid-731';
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1366, height: 860 };

let roster;
let base;
let browser;
let page;
const others = {};
const ids = {};

const scene = story('phone-and-stale', {
  pages: () => ({ ada: page, ...Object.fromEntries(Object.entries(others).map(([who, { page: theirs }]) => [who, theirs])) }),
});
const { step } = scene;

const api = (method, path, body) => apiAs(page, base, method, path, body);

/** `email` signs in, in a browser of his own, with his invitation's one-time
 *  password, sets a password and lands on Org users. */
// Runs `body` at a phone's width; the page gets its desktop width back
// whatever happens.
async function onPhone(page, body) {
  await page.setViewportSize(PHONE);
  try {
    await body();
  } finally {
    await page.setViewportSize(DESKTOP);
  }
}

async function signInAs(who, email) {
  const theirs = await launch();
  const theirPage = await theirs.context.newPage();
  others[who] = { browser: theirs, page: theirPage };
  await signIn(theirPage, base, email, await roster.oneTimePasswordFor(email));
  await theirPage.waitForURL(/\/password$/);
  await setNewPassword(theirPage, JOINED_PASSWORD);
  await theirPage.waitForURL(/\/orgs\/1\/users$/);
  return theirPage;
}

/** At 390 px, what runs out of the window or is cut inside its box without
 *  an ellipsis, of the elements `selector` finds. */
function cutOnPhone(where, selector) {
  return where.evaluate((wanted) => [...document.querySelectorAll(wanted)].filter((element) => {
    const box = element.getBoundingClientRect();
    const clipped = element.scrollWidth > element.clientWidth + 1 && getComputedStyle(element).textOverflow !== 'ellipsis';
    return box.left < -1 || box.right > window.innerWidth + 1 || clipped;
  }).map((element) => element.textContent.slice(0, 60)), selector);
}

/** At 390 px, why the rows of the table in `where` do not say whose they
 *  are: a Name cell without the row's e-mail (read from the E-mail column),
 *  or a text of it under the pinned Action column, out of the table's view,
 *  or cut without an ellipsis. */
function unidentifiedRows(where) {
  return where.evaluate((table) => {
    const headers = [...table.querySelectorAll('thead th')].map((th) => th.textContent.trim());
    const emailColumn = headers.indexOf('E-mail');
    const nameColumn = headers.indexOf('Name');
    const view = table.querySelector('.ant-table-content').getBoundingClientRect();
    const problems = [];
    for (const tableRow of table.querySelectorAll('tbody tr.ant-table-row')) {
      const cells = tableRow.querySelectorAll(':scope > td');
      const email = cells[emailColumn].textContent.trim();
      const name = cells[nameColumn];
      const action = cells[cells.length - 1].getBoundingClientRect();
      if (!name.innerText.includes(email)) problems.push(`${name.innerText}: no ${email}`);
      for (const text of name.querySelectorAll('*')) {
        if (![...text.childNodes].some((node) => node.nodeType === Node.TEXT_NODE && node.textContent.trim())) continue;
        if (!text.checkVisibility()) continue;
        const box = text.getBoundingClientRect();
        const cut = text.scrollWidth > text.clientWidth + 1 && getComputedStyle(text).textOverflow !== 'ellipsis';
        if (box.left < view.left - 1 || box.right > Math.min(action.left, window.innerWidth) + 1 || cut) {
          problems.push(`${text.textContent.trim()}: ${Math.round(box.left)}–${Math.round(box.right)} px, the Action column at ${
            Math.round(action.left)} px${cut ? ', cut without "…"' : ''}`);
        }
      }
    }
    return problems;
  });
}

/** At 390 px, the texts of each lead's first cell (its name and e-mail)
 *  that the pinned Action column covers, that lie out of the table's view,
 *  or that are cut at all (`whole`: names short enough to show whole) or
 *  without an ellipsis. */
function coveredLeads(where, whole) {
  return where.evaluate((table, shortNames) => {
    const view = table.querySelector('.ant-table-content').getBoundingClientRect();
    const problems = [];
    for (const tableRow of table.querySelectorAll('tbody tr.ant-table-row')) {
      const cells = tableRow.querySelectorAll(':scope > td:not(.ant-table-selection-column)');
      const action = cells[cells.length - 1].getBoundingClientRect();
      for (const text of cells[0].querySelectorAll('*')) {
        if (![...text.childNodes].some((node) => node.nodeType === Node.TEXT_NODE && node.textContent.trim())) continue;
        const box = text.getBoundingClientRect();
        const cut = text.scrollWidth > text.clientWidth + 1 || text.scrollHeight > text.clientHeight + 1;
        const words = text.textContent.trim();
        if (box.left < view.left - 1 || box.right > Math.min(action.left, window.innerWidth) + 1
            || (cut && (getComputedStyle(text).textOverflow !== 'ellipsis' || shortNames.includes(words)))) {
          problems.push(`${words}: ${Math.round(box.left)}–${Math.round(box.right)} px, the Action column at ${
            Math.round(action.left)} px${cut ? ', cut' : ''}`);
        }
      }
    }
    return problems;
  }, whole);
}

describe('phone widths and stale pages', () => {
  before(async () => {
    ({ roster, base, browser, page } = await startAcmeWithAda(PASSWORD));
    ids.outbound = (await api('POST', '/orgs/1/assistants', { name: 'Outbound' })).id;
    for (const [who, name, email, role] of [['hana', 'Hana Heir', 'hana@acme.test', 'user'],
                                             ['erin', 'Erin Early', 'erin.early.with.a.long.address@acme.test', 'user'],
                                             ['carl', 'Carl Closer', 'carl@acme.test', 'admin'],
                                             ['fay', 'Fay Pending', 'fay@acme.test', 'user']]) {
      ids[who] = (await api('POST', '/orgs/1/invitations', { name, email, role, assistant_ids: role === 'user' ? [ids.outbound] : [] })).user_id;
    }
    await api('PATCH', `/orgs/1/assistants/${ids.outbound}/users/${ids.hana}`, { is_manager: true });
    ids.olga = (await api('POST', '/orgs/1/leads', { name: 'Olga Outfirst', email: 'olga@prospect.test',
                                                     assistant_id: ids.outbound, owner_id: ids.erin })).id;
    await api('POST', '/orgs/1/leads', { name: 'Hugo Own', email: 'hugo@prospect.test', assistant_id: ids.outbound, owner_id: ids.hana });
  });

  after(async () => {
    for (const { browser: theirs } of Object.values(others)) await theirs.close().catch(() => {});
    if (browser) await browser.close().catch(() => {});
    if (roster) await roster.stop();
  });

  step('"Who can see" on a lead he may no longer see closes, says so and reloads the list, as Reassign does', async () => {
    const hana = await signInAs('hana', 'hana@acme.test');
    await navigate(hana, 'Leads');
    await hana.getByText('Your own leads, and every lead of the assistants you manage.').waitFor();
    await waitForTableIdle(hana);
    await row(hana, 'Olga Outfirst').waitFor();
    await api('PATCH', `/orgs/1/assistants/${ids.outbound}/users/${ids.hana}`, { is_manager: false });
    await hana.getByRole('button', { name: 'Who can see Olga Outfirst', exact: true }).click();
    await hana.getByRole('alert').filter({ hasText: 'Olga Outfirst is no longer visible to you' }).waitFor();
    await hana.getByRole('dialog', { name: 'Who can see this lead and why' }).waitFor({ state: 'hidden' });
    await hana.getByText('The leads you own.').waitFor();
    await row(hana, 'Olga Outfirst').waitFor({ state: 'detached' });
    await waitForTableIdle(hana);
    await row(hana, 'Hugo Own').waitFor();
    await scene.record(hana, 'who-can-see-gone');
  });
  step('at 390 px API keys fits the window: the scopes, the SCIM base URL and the empty list wrap', () => onPhone(page, async () => {
    await page.goto(`${base}/orgs/1/api-keys`);
    const empty = page.getByText('No API keys yet.', { exact: false });
    await empty.waitFor();
    await page.getByTestId('scim-base-url').waitFor();
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= PHONE.width, `the page is ${width} px wide on a ${PHONE.width} px screen`);
    assert.deepEqual(await cutOnPhone(page, '.scope-legend dd, .scope-legend code, .api-keys-table .empty-state'), [],
                     'a text runs out of the window or is cut');
    await scene.record(page, 'api-keys-390');
  }));
  step('at 390 px a row of Org users and of an assistant\'s Users names its person by name and e-mail beside the Action column; Leads pins Action too', () => onPhone(page, async () => {
    await navigate(page, 'Org users');
    await waitForTableIdle(page);
    await row(page, 'Fay Pending').waitFor();
    const members = page.locator('.members-table');
    assert.deepEqual(await unidentifiedRows(members), [], 'Org users');
    await scene.record(page, 'org-users-390');

    await page.goto(`${base}/orgs/1/assistants/${ids.outbound}`);
    await page.getByRole('tab', { name: /Users/ }).click();
    await row(page, 'Hana Heir').waitFor();
    await waitForTableIdle(page);
    assert.deepEqual(await unidentifiedRows(page.locator('.assistants-table')), [], 'an assistant\'s Users');
    await scene.record(page, 'assistant-users-390');

    await navigate(page, 'Leads');
    await row(page, 'Olga Outfirst').waitFor();
    const pinned = await page.evaluate(() => [...document.querySelectorAll('.ant-table-thead th')]
      .filter((th) => th.textContent.trim() === 'Action')
      .map((th) => getComputedStyle(th).position));
    assert.deepEqual(pinned, ['sticky'], 'the Leads Action column is pinned at the right edge, as on Org users');
    const button = row(page, 'Olga Outfirst').getByRole('button', { name: 'Reassign Olga Outfirst' });
    const inView = await button.evaluate((element) => element.getBoundingClientRect().right <= window.innerWidth);
    assert.ok(inView, 'Reassign is on screen without scrolling the table');
    await scene.record(page, 'leads-390');
  }));
  step('at 390 px a lead\'s name and e-mail show whole beside the pinned Action column, not under it', () => onPhone(page, async () => {
    await navigate(page, 'Leads');
    await row(page, 'Olga Outfirst').waitFor();
    await waitForTableIdle(page);
    assert.deepEqual(await coveredLeads(page.locator('.leads-table'), ['Olga Outfirst', 'olga@prospect.test', 'Hugo Own', 'hugo@prospect.test']), [],
                     'a lead\'s name or e-mail is under the Action column');
    await scene.record(page, 'leads-names-390');
  }));
  step('at 390 px the header shows the organization\'s whole name beside the role and the account menu', () => onPhone(page, async () => {
    await navigate(page, 'Org users');
    const name = page.locator('.console-header .org-name');
    await name.waitFor();
    const fit = await name.evaluate((element) => {
      const header = element.closest('.console-header').getBoundingClientRect();
      const box = element.getBoundingClientRect();
      return {
        cut: element.scrollWidth > element.clientWidth + 1 || element.scrollHeight > element.clientHeight + 1,
        inside: box.top >= header.top && box.bottom <= header.bottom && box.left >= 0 && box.right <= window.innerWidth,
      };
    });
    assert.deepEqual(fit, { cut: false, inside: true }, '"Acme Sales" is cut or out of the header');
    for (const neighbour of [page.locator('.console-header .role-tag'), page.getByRole('button', { name: 'Ada Admin, account menu' })]) {
      const box = await neighbour.boundingBox();
      assert.ok(box.x >= 0 && box.x + box.width <= PHONE.width, `${await neighbour.innerText()} runs out of the window`);
    }
    await scene.record(page, 'header-390');
  }));
  step('a lead\'s drawer opened from a row read before another admin changed the lead shows it as it is now', async () => {
    await navigate(page, 'Leads');
    await row(page, 'Olga Outfirst').getByText('Erin Early').waitFor();
    await waitForTableIdle(page);
    await api('PATCH', `/orgs/1/leads/${ids.olga}`, { owner_id: ids.hana, status: 'contacted' });
    await row(page, 'Olga Outfirst').getByRole('button', { name: 'Olga Outfirst', exact: true }).click();
    const drawer = page.getByRole('dialog', { name: 'Olga Outfirst' });
    await drawer.waitFor();
    const owner = drawer.locator('.lead-details dt', { hasText: 'Owner' }).locator('+ dd');
    await owner.filter({ hasText: 'Hana Heir' }).waitFor({ timeout: 3000 }).catch(async () => {
      assert.fail(`the drawer says the owner is ${await owner.innerText()}, not Hana Heir`);
    });
    assert.match(await drawer.locator('.lead-edit .ant-select').innerText(), /Contacted/, 'the drawer\'s status is not the new one');
    await row(page, 'Olga Outfirst').getByText('Hana Heir').waitFor();
    await scene.record(page, 'lead-drawer-fresh');
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'hidden' });
  });
  step('Org users\' sortable headers are named as they read, "Last sign-in" too', async () => {
    await navigate(page, 'Org users');
    await page.locator('.members-table thead th[aria-label="Name"]').waitFor();
    const headers = await page.locator('.members-table thead th[aria-label]').evaluateAll((cells) => cells
      .map((th) => ({ name: th.getAttribute('aria-label'), text: th.innerText.replace(/\s+/g, ' ').trim() })));
    assert.ok(headers.some(({ text }) => /^Last sign.in$/.test(text)), `no Last sign-in header in ${JSON.stringify(headers)}`);
    assert.deepEqual(headers.filter(({ name, text }) => name !== text), [], 'a header\'s name is not its text');
  });
  step('at 390 px the last admin\'s menu says in words, not only in a hover tooltip, why its items are disabled', () => onPhone(page, async () => {
    await navigate(page, 'Org users');
    await waitForTableIdle(page);
    await menuClosed(page);
    await row(page, 'ada@acme.test').getByRole('button', { name: 'Action for Ada Admin' }).click();
    const menu = page.locator('.ant-dropdown-menu').filter({ has: page.getByRole('menuitem', { name: 'Deactivate' }) });
    await menu.waitFor();
    for (const item of ['Remove org admin rights', 'Deactivate', 'Remove from organization']) {
      assert.equal(await menu.getByRole('menuitem', { name: item }).getAttribute('aria-disabled'), 'true', item);
    }
    const reason = menu.getByText('The organization needs at least one active admin.', { exact: false });
    await reason.waitFor();
    assert.deepEqual(await cutOnPhone(page, '.menu-reason'), [], 'the reason runs out of the window');
    await scene.record(page, 'last-admin-reason-390');
    await page.keyboard.press('Escape');
    await menuClosed(page);
  }));
  step('a deactivated member who signs in is told to ask for reactivation, not for an invitation the server refuses', async () => {
    const adaId = (await api('GET', '/me')).user.id;
    await api('POST', `/orgs/1/members/${ids.hana}/deactivate?reassign_to=${adaId}`);
    const hana = others.hana.page;
    await signIn(hana, base, 'hana@acme.test', JOINED_PASSWORD);
    const notice = hana.getByText('You have no active organization');
    await notice.waitFor();
    await hana.getByText('If an admin deactivated you, ask them to reactivate you; otherwise ask an organization\'s admin to invite you.').waitFor();
    assert.equal(await hana.getByText('You are not a member of any organization').count(), 0);
    await scene.record(hana, 'deactivated-sign-in');
  });
  step('the deactivated member, opening her organization in a new tab, is not told she is a member of none', async () => {
    // A new tab knows no organization she was in (see knownOrganizations).
    const tab = await others.hana.browser.context.newPage();
    try {
      await tab.goto(`${base}/orgs/1/users`);
      await tab.getByText('Organization not found').waitFor();
      const said = await tab.locator('.ant-result').innerText();
      assert.doesNotMatch(said, /not a member of any organization|not one of its members/, 'she is a (deactivated) member of Acme Sales');
      assert.match(said, /you have no active organization/i);
      await scene.record(tab, 'deactivated-org-page');
    } finally {
      await tab.close();
    }
  });
  step('an admin demoted meanwhile who meets the 403 on Org users sees the list read again: his own row says User', async () => {
    const carl = await signInAs('carl', 'carl@acme.test');
    // Active members only: while a fresh invitation's e-mail may still be
    // refused, the page rereads its rows every few seconds anyway.
    await choose(carl, carl.getByRole('combobox', { name: 'Filter by status' }), 'Active');
    await waitForTableIdle(carl);
    await row(carl, 'fay@acme.test').waitFor({ state: 'detached' });
    await row(carl, 'carl@acme.test').getByText('Org admin', { exact: true }).waitFor();
    await api('PATCH', `/orgs/1/members/${ids.carl}`, { role: 'user' });
    await rowAction(carl, 'ada@acme.test', 'Send password reset');
    await carl.getByRole('button', { name: 'Send', exact: true }).click();
    await expectToast(carl, 'Only the organization\'s admins can do this.');
    await carl.getByRole('alert').filter({ hasText: 'You are no longer an org admin of Acme Sales' }).waitFor();
    await row(carl, 'carl@acme.test').getByText('User', { exact: true }).waitFor();
    assert.equal(await row(carl, 'carl@acme.test').getByText('Org admin', { exact: true }).count(), 0);
    await waitForTableIdle(carl);
    await scene.record(carl, 'demoted-admin-row');
  });
});
