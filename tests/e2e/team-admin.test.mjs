// The admin's tools for many members at once and for finding things again,
// in Chromium against a real `roster serve`: the Org users columns, bulk
// "Resend invite" and bulk "Remove" with per-row results, "Revoke
// invitation", the audit log's filters, the toasts' corner, "Reset
// two-factor" disabled on one's own row, the row confirmations on a phone.
// Every screen is checked with axe-core and saved as a screenshot in
// test-results/e2e/.
//
// The steps build on each other; after a failure the rest are skipped.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { launch, screenshot, settled } from './lib/browser.mjs';
import { Roster } from './lib/roster.mjs';
import { story } from './lib/story.mjs';
import { choose, expectToast, menuClosed, navigate, row, rowAction, setNewPassword, signIn, waitForTableIdle } from './lib/ui.mjs';

const PASSWORD = 'violet-harbor-quantum-lantern-58';
const BEA_PASSWORD = 'copper-meadow-signal-orchid-731';
const HANA_PASSWORD = 'glacier-tandem-marble-pickle-904';

let roster;
let base;
let browser;
let page;
const ids = {};

const scene = story('team-admin', { pages: () => ({ admin: page }) });
const { step } = scene;
const record = (name) => scene.record(page, name);

/** A call of the API as Ada, through the browser's session. */
async function api(method, path, data) {
  const answer = await page.request.fetch(`${base}/api/v1${path}`, {
    method, data, headers: { 'X-Requested-With': 'roster' },
  });
  assert.ok(answer.ok(), `${method} ${path}: ${answer.status()} ${await answer.text()}`);
  return answer.status() === 204 ? null : answer.json();
}

/** Signs `email` in with its invitation's one-time password and sets a password, outside the browser. */
async function join(email, password) {
  const otp = await roster.oneTimePasswordFor(email);
  const headers = { 'Content-Type': 'application/json', 'X-Requested-With': 'roster' };
  const login = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers, body: JSON.stringify({ email, password: otp }) });
  assert.equal(login.status, 200);
  const cookie = login.headers.get('set-cookie').split(';')[0];
  const set = await fetch(`${base}/api/v1/auth/password`, {
    method: 'POST', headers: { ...headers, Cookie: cookie },
    body: JSON.stringify({ current_password: otp, new_password: password }),
  });
  assert.equal(set.status, 204, await set.text());
}

/** The code of the current 30-second step for a base32 `secret` (RFC 6238: HMAC-SHA1, 6 digits). */
function totpNow(secret) {
  let bits = '';
  for (const char of secret.toUpperCase()) bits += 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'.indexOf(char).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g).map((byte) => parseInt(byte, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 30000)));
  const digest = createHmac('sha1', key).update(counter).digest();
  const offset = digest[digest.length - 1] & 0x0f;
  return String((digest.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

/** Turns two-factor sign-in on through `call(method, path, body)`, a person's own API session. */
async function turnOnTwoFactor(call, password) {
  const { secret } = await call('POST', '/auth/mfa/totp/setup', { password });
  await call('POST', '/auth/mfa/totp/confirm', { code: totpNow(secret) });
}

/** Signs `email` in with `password` outside the browser; answers a call of the API as that person. */
async function sessionOf(email, password) {
  const headers = { 'Content-Type': 'application/json', 'X-Requested-With': 'roster' };
  const login = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers, body: JSON.stringify({ email, password }) });
  assert.equal(login.status, 200, await login.text());
  const cookie = login.headers.get('set-cookie').split(';')[0];
  return async (method, path, body) => {
    const answer = await fetch(`${base}/api/v1${path}`, { method, headers: { ...headers, Cookie: cookie }, body: JSON.stringify(body) });
    const text = await answer.text();
    assert.ok(answer.ok, `${method} ${path}: ${answer.status} ${text}`);
    return answer.status === 204 ? null : JSON.parse(text);
  };
}

describe('admin tools for many members', () => {
  before(async () => {
    roster = await Roster.start();
    const otp = await roster.createOrganization('Walkco', 'ada@walk.test', 'Ada Admin');
    base = await roster.serve();
    browser = await launch();
    page = await browser.context.newPage();
    page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
    await signIn(page, base, 'ada@walk.test', otp);
    await page.waitForURL(/\/password$/);
    await setNewPassword(page, PASSWORD);
    await page.waitForURL(/\/orgs\/1\/users$/);
  });

  after(async () => {
    if (browser) await browser.close().catch(() => {});
    if (roster) await roster.stop();
  });

  step('a team: Bea active with leads on Aria, Carl and Dan invited', async () => {
    const aria = await api('POST', '/orgs/1/assistants', { name: 'Aria' });
    ids.aria = aria.id;
    for (const [name, email] of [['Bea Buyer', 'bea@walk.test'], ['Carl Closer', 'carl@walk.test'], ['Dan Doer', 'dan@walk.test'],
                                 ['Hana Heir', 'hana@walk.test']]) {
      const member = await api('POST', '/orgs/1/invitations', { name, email, role: 'user', assistant_ids: name === 'Bea Buyer' ? [aria.id] : [] });
      ids[email] = member.user_id;
    }
    await join('bea@walk.test', BEA_PASSWORD);
    await join('hana@walk.test', HANA_PASSWORD);
    for (const lead of ['Lina Lead', 'Kurt Kunde', 'Mia Markt']) {
      await api('POST', '/orgs/1/leads', { name: lead, email: `${lead.split(' ')[0].toLowerCase()}@prospect.test`,
                                           assistant_id: aria.id, owner_id: ids['bea@walk.test'] });
    }
  });

  step('Org users shows initials, Joined and Last sign-in, with unused seats as "Never"', async () => {
    await page.reload();
    await page.getByRole('heading', { name: 'Org users' }).waitFor();
    await waitForTableIdle(page);
    const carl = row(page, 'carl@walk.test');
    assert.match(await carl.innerText(), /Not yet/);
    await carl.getByText('Never', { exact: true }).waitFor();
    // Bea joined but has not signed in through the console either: she set
    // her password, which is a sign-in, so she has a last sign-in date.
    assert.doesNotMatch(await row(page, 'bea@walk.test').innerText(), /Never/);
    assert.equal(await carl.locator('.initials-avatar').getAttribute('data-initials'), 'CC');
    await page.getByText('Showing 5 members (all)').waitFor();
    await record('org-users-columns');
  });

  step('Org users sorts by Leads on the server and shows each member\'s assistants, the managed one marked', async () => {
    ids.assistants = [];
    for (const name of ['Bolt', 'Cleo', 'Dora']) ids.assistants.push((await api('POST', '/orgs/1/assistants', { name })).id);
    await api('PUT', `/orgs/1/assistants/${ids.aria}/users/${ids['bea@walk.test']}`, { is_manager: true });
    for (const id of ids.assistants) await api('PUT', `/orgs/1/assistants/${id}/users/${ids['bea@walk.test']}`, {});
    await page.setViewportSize({ width: 1280, height: 860 });
    await page.reload();
    await page.getByRole('heading', { name: 'Org users' }).waitFor();
    await waitForTableIdle(page);
    // Three tags, the managed assistant first and marked, then "+1".
    const bea = row(page, 'bea@walk.test');
    const tags = bea.locator('.member-assistants .ant-tag');
    assert.deepEqual(await tags.allTextContents(), ['Aria ★ (manager)', 'Bolt', 'Cleo', '+1']);
    assert.equal(await tags.nth(3).getAttribute('title'), 'Dora');
    await row(page, 'carl@walk.test').getByText('None', { exact: true }).waitFor();
    // On a 1280 px screen every column stays in view, Action included: the
    // table does not scroll sideways and Bea's Action button is whole.
    const scroller = page.locator('.members-table .ant-table-content');
    assert.equal(await scroller.evaluate((element) => element.scrollWidth <= element.clientWidth), true,
                 'the Org users table scrolls sideways at 1280 px');
    const edge = await scroller.boundingBox();
    const action = await bea.getByRole('button', { name: 'Action' }).boundingBox();
    assert.ok(action.x + action.width <= edge.x + edge.width, `Action is cut off: ${JSON.stringify(action)}`);
    // The row under the pointer is highlighted, every cell of it, and only while the pointer is there.
    const highlighted = (email) => page.waitForFunction((address) => {
      const cells = [...document.querySelectorAll('.members-table tr.ant-table-row')]
        .find((tr) => tr.textContent.includes(address))?.querySelectorAll('td') ?? [];
      return cells.length > 0 && [...cells].every((td) => td.classList.contains('ant-table-cell-row-hover'));
    }, email);
    await bea.locator('td').nth(2).hover();
    await highlighted('bea@walk.test');
    await row(page, 'carl@walk.test').locator('td').nth(2).hover();
    await highlighted('carl@walk.test');
    assert.equal(await bea.locator('td.ant-table-cell-row-hover').count(), 0, 'Bea\'s row is still highlighted');

    // Leads: the first click sorts ascending, the second descending, each a
    // new first page from the server.
    const leads = page.getByRole('columnheader', { name: 'Leads' });
    for (const [sort, ariaSort] of [['leads', 'ascending'], ['-leads', 'descending']]) {
      const answer = page.waitForResponse((response) => response.url().includes(`/members?`) &&
        new URL(response.url()).searchParams.get('sort') === sort && !new URL(response.url()).searchParams.get('cursor'));
      await leads.click();
      assert.equal((await answer).status(), 200);
      await waitForTableIdle(page);
      assert.equal(await leads.getAttribute('aria-sort'), ariaSort);
      // The sorted column is shaded, in the body as in the header.
      assert.equal(await bea.locator('td').nth(8).evaluate((td) => td.classList.contains('ant-table-column-sort')), true);
    }
    const emails = await page.locator('.ant-table-tbody tr.ant-table-row td:nth-child(3)').allInnerTexts();
    assert.equal(emails[0], 'bea@walk.test', emails.join(', '));  // 3 leads
    // The export menu carries the sort too.
    await page.getByRole('button', { name: 'Export members' }).click();
    assert.match(await page.locator('a[data-format="csv"]').getAttribute('href'), /sort=-leads/);
    await page.keyboard.press('Escape');
    await record('org-users-sorted-by-leads');
    // A third click goes back to the default order, by name.
    await leads.click();
    await waitForTableIdle(page);
    assert.equal(await leads.getAttribute('aria-sort'), null);
    await page.setViewportSize({ width: 1366, height: 860 });
  });

  step('bulk "Resend invite" resends to the invited and says why not for the active, row by row', async () => {
    const mailsBefore = await roster.mailCount();
    for (const name of ['Carl Closer', 'Dan Doer', 'Bea Buyer']) {
      await page.getByRole('checkbox', { name: `Select ${name}` }).check();
    }
    const bar = page.getByRole('region', { name: 'Selected members' });
    await bar.getByText('3 members selected').waitFor();
    await record('bulk-selection');
    await bar.getByRole('button', { name: 'Resend invite' }).click();
    const results = page.getByRole('dialog', { name: 'Resend invite: 2 done, 1 failed' });
    await results.waitFor();
    assert.match(await row(results, 'carl@walk.test').innerText(), /Done[\s\S]*Invitation resent to carl@walk\.test/);
    assert.match(await row(results, 'dan@walk.test').innerText(), /Done/);
    assert.match(await row(results, 'bea@walk.test').innerText(), /Failed[\s\S]*already joined/);
    await record('bulk-resend-results');
    await results.getByRole('button', { name: 'OK' }).click();
    await roster.oneTimePasswordFor('carl@walk.test', { after: mailsBefore });
    await roster.oneTimePasswordFor('dan@walk.test', { after: mailsBefore });
  });

  step('an invited member\'s menu offers "Revoke invitation", which names him', async () => {
    await menuClosed(page);
    await row(page, 'dan@walk.test').getByRole('button', { name: /^Action/ }).click();
    assert.equal(await page.getByRole('menuitem', { name: 'Remove from organization' }).count(), 0);
    await page.getByRole('menuitem', { name: 'Revoke invitation' }).click();
    const dialog = page.getByRole('dialog', { name: 'Revoke Dan Doer\'s invitation?' });
    await dialog.getByText('dan@walk.test').waitFor();
    await record('revoke-invitation');
    await dialog.getByRole('button', { name: 'Proceed' }).click();
    await expectToast(page, 'Dan Doer\'s invitation to Walkco was revoked.');
    await row(page, 'dan@walk.test').waitFor({ state: 'detached' });
  });

  step('bulk "Remove" sums the leads, hands them to one receiver, and lists each row\'s result', async () => {
    for (const name of ['Bea Buyer', 'Carl Closer']) {
      await page.getByRole('checkbox', { name: `Select ${name}` }).check();
    }
    await page.getByRole('region', { name: 'Selected members' }).getByRole('button', { name: 'Remove', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Remove 2 members from Walkco?' });
    await dialog.getByText('Together they own').filter({ hasText: '3 leads' }).waitFor();
    await dialog.getByRole('button', { name: 'Proceed' }).click();
    await dialog.getByText('Choose who receives the leads.').waitFor();
    await choose(page, dialog.getByLabel('Give all their leads to'), 'Hana Heir', 'hana');
    await dialog.getByText('Their 3 leads go to Hana Heir.').waitFor();
    await record('bulk-remove-dialog');
    await dialog.getByRole('button', { name: 'Proceed' }).click();
    const results = page.getByRole('dialog', { name: 'Remove: 2 done' });
    await results.waitFor();
    assert.match(await row(results, 'bea@walk.test').innerText(), /Done[\s\S]*3 leads handed over/);
    assert.match(await row(results, 'carl@walk.test').innerText(), /Done[\s\S]*Invitation revoked/);
    await record('bulk-remove-results');
    await results.getByRole('button', { name: 'OK' }).click();
    await row(page, 'bea@walk.test').waitFor({ state: 'detached' });
    assert.match(await row(page, 'hana@walk.test').innerText(), /\b3\b/);
  });

  step('a lead\'s name opens its details with who can see it and why', async () => {
    await navigate(page, 'Leads');
    await page.getByRole('heading', { name: 'Leads' }).waitFor();
    await waitForTableIdle(page);
    await row(page, 'Lina Lead').getByText('New', { exact: true }).waitFor();  // the status, capitalized
    await page.getByRole('button', { name: 'Lina Lead', exact: true }).click();
    const drawer = page.getByRole('dialog', { name: 'Lina Lead' });
    await drawer.getByText('lina@prospect.test').waitFor();
    const access = drawer.getByRole('region', { name: 'Who can see this lead' });
    await row(access, 'ada@walk.test').filter({ hasText: 'Org admin' }).waitFor();
    await row(access, 'hana@walk.test').filter({ hasText: 'Owner' }).waitFor();
    await record('lead-drawer');
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'hidden' });
  });

  step('the audit log filters by action, by who acted and by whom, and says so when nothing matches', async () => {
    await api('PATCH', `/orgs/1/members/${ids['hana@walk.test']}`, { role: 'admin' });
    await navigate(page, 'Audit log');
    await page.getByRole('heading', { name: 'Audit log' }).waitFor();
    await waitForTableIdle(page);
    // Details read as words, times carry seconds.
    const roleRow = row(page, 'Role changed');
    await roleRow.getByText('role: user → org admin').waitFor();
    assert.match(await roleRow.innerText(), /\d{1,2}:\d{2}:\d{2}/);

    const filters = page.getByRole('search', { name: 'Filter the audit log' });
    await choose(page, filters.getByLabel('Action'), 'Invitation revoked', 'revoked');
    await waitForTableIdle(page);
    await page.getByText('Showing 2 events (all)').waitFor();
    const texts = await page.locator('.ant-table-tbody tr.ant-table-row').allInnerTexts();
    assert.equal(texts.length, 2);
    assert.ok(texts.every((text) => text.includes('Invitation revoked')), texts.join('\n'));
    await record('audit-filtered-by-action');

    await filters.getByRole('button', { name: 'Clear filters' }).click();
    await choose(page, filters.getByLabel('Whom it was about'), 'Hana Heir', 'hana');
    // Invited, joined, added to Aria with Bea's leads, made admin.
    await page.getByText('Showing 4 events (all)').waitFor();
    const aboutHana = await page.locator('.ant-table-tbody tr.ant-table-row').allInnerTexts();
    assert.ok(aboutHana.every((text) => text.includes('hana@walk.test')), aboutHana.join('\n'));

    await filters.getByRole('button', { name: 'Clear filters' }).click();
    await choose(page, filters.getByLabel('Who acted'), 'Hana Heir', 'hana');
    await page.getByText('Showing 1 event (all)').waitFor();  // she accepted her invitation
    await row(page, 'Invitation accepted').waitFor();
    await choose(page, filters.getByLabel('Action'), 'Role changed', 'role');
    await page.getByText('No events match these filters.').waitFor();
    await record('audit-no-match');

    // The export carries the same filters.
    await page.getByRole('button', { name: 'Export the audit log' }).click();
    const href = await page.locator('a[data-format="csv"]').getAttribute('href');
    assert.match(href, new RegExp(`actor=${ids['hana@walk.test']}`));
    await page.keyboard.press('Escape');
  });

  step('toasts appear in the bottom-right corner, clear of the page title', async () => {
    await navigate(page, 'Org users');
    await page.getByRole('heading', { name: 'Org users' }).waitFor();
    await rowAction(page, 'hana@walk.test', 'Remove org admin rights');
    await page.getByRole('button', { name: 'Yes' }).click();
    const toast = page.locator('.ant-message-notice', { hasText: 'Hana Heir is no longer an org admin.' }).first();
    await toast.waitFor();
    const box = await toast.boundingBox();
    const title = await page.getByRole('heading', { name: 'Org users' }).boundingBox();
    const viewport = page.viewportSize();
    assert.ok(box.y > viewport.height / 2, `the toast is at y=${box.y}, not in the lower half`);
    assert.ok(box.x + box.width > viewport.width - 80, `the toast ends at x=${box.x + box.width}, not at the right edge`);
    assert.ok(box.x + box.width <= viewport.width, `the toast is cut off at the right edge (ends at x=${box.x + box.width})`);
    assert.ok(box.y > title.y + title.height, 'the toast covers the page title');
    await record('toast-corner');
  });

  step('bulk role changes confirm with "Yes" and show the last admin\'s refusal on its row', async () => {
    await page.getByRole('checkbox', { name: 'Select Hana Heir' }).check();
    await page.getByRole('region', { name: 'Selected members' }).getByRole('button', { name: 'Make org admin' }).click();
    const confirm = page.getByRole('dialog', { name: 'Make 1 member org admins?' });
    await confirm.getByText('Hana Heir will invite').waitFor();
    await confirm.getByRole('button', { name: 'Yes' }).click();
    let results = page.getByRole('dialog', { name: 'Make org admin: 1 done' });
    await results.waitFor();
    await results.getByRole('button', { name: 'OK' }).click();
    await row(page, 'hana@walk.test').filter({ hasText: 'Org admin' }).waitFor();

    // Both admins lose their rights? Hana first (the signed-in admin goes
    // last), then Ada is refused: the organization keeps one active admin.
    // Ivy, a user already, is skipped rather than "Done".
    await api('POST', '/orgs/1/invitations', { name: 'Ivy Idle', email: 'ivy@walk.test', role: 'user' });
    await page.reload();
    await row(page, 'ivy@walk.test').waitFor();
    for (const name of ['Ada Admin', 'Hana Heir', 'Ivy Idle']) await page.getByRole('checkbox', { name: `Select ${name}` }).check();
    await page.getByRole('region', { name: 'Selected members' }).getByRole('button', { name: 'Remove org admin rights' }).click();
    await page.getByRole('dialog', { name: 'Remove the org admin rights of 3 members?' }).getByRole('button', { name: 'Yes' }).click();
    results = page.getByRole('dialog', { name: 'Remove org admin rights: 1 done, 1 skipped, 1 failed' });
    await results.waitFor();
    assert.match(await row(results, 'hana@walk.test').innerText(), /Done/);
    assert.match(await row(results, 'ivy@walk.test').innerText(), /Skipped[\s\S]*Already a user\./);
    assert.match(await row(results, 'ada@walk.test').innerText(), /Failed/);
    await record('bulk-role-results');
  });

  step('with two-factor on, "Reset two-factor" is offered on Hana\'s row and disabled on Ada\'s own, saying where she turns hers off', async () => {
    await turnOnTwoFactor(api, PASSWORD);
    await turnOnTwoFactor(await sessionOf('hana@walk.test', HANA_PASSWORD), HANA_PASSWORD);
    await page.reload();
    await waitForTableIdle(page);
    await row(page, 'ada@walk.test').getByText('On', { exact: true }).waitFor();
    await menuClosed(page);
    await row(page, 'ada@walk.test').getByRole('button', { name: /^Action/ }).click();
    const own = page.getByRole('menuitem', { name: 'Reset two-factor' });
    assert.equal(await own.getAttribute('aria-disabled'), 'true', 'Ada may reset her own two-factor sign-in, which the server refuses');
    await own.locator('span').last().hover();
    await page.getByRole('tooltip').filter({ hasText: 'turn it off on the Security page' }).waitFor();
    await record('own-two-factor-disabled');
    await page.keyboard.press('Escape');
    await menuClosed(page);
    await row(page, 'hana@walk.test').getByRole('button', { name: /^Action/ }).click();
    assert.notEqual(await page.getByRole('menuitem', { name: 'Reset two-factor' }).getAttribute('aria-disabled'), 'true');
    await page.keyboard.press('Escape');
    await menuClosed(page);
  });

  step('on a 390 px phone a row\'s confirmations fit the screen, their words wrapped and "Yes" whole', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      await page.reload();
      await waitForTableIdle(page);
      for (const [item, title, ok] of [['Make org admin', 'Make Hana Heir an org admin?', 'Yes'],
                                       ['Send password reset', 'Send Hana Heir a password reset?', 'Send'],
                                       ['Reset two-factor', 'Reset Hana Heir\'s two-factor sign-in?', 'Yes']]) {
        await rowAction(page, 'hana@walk.test', item);
        const confirm = page.getByRole('tooltip').filter({ hasText: title });
        await confirm.waitFor();
        await settled(page);
        const fit = await confirm.evaluate((element, okText) => {
          const popover = element.closest('.ant-popover') ?? element;
          const box = popover.getBoundingClientRect();
          const outside = [...popover.querySelectorAll('*')].filter((inner) => {
            const rect = inner.getBoundingClientRect();
            return rect.width > 0 && (rect.left < box.left - 1 || rect.right > box.right + 1 || inner.scrollWidth > inner.clientWidth + 1);
          }).map((inner) => `${inner.className} "${inner.textContent.slice(0, 30)}"`);
          const ok = [...popover.querySelectorAll('button')].find((button) => button.textContent.trim() === okText);
          return { left: box.left, right: box.right, width: window.innerWidth, outside,
                   ok: ok && { left: ok.getBoundingClientRect().left, right: ok.getBoundingClientRect().right },
                   pageWidth: document.documentElement.scrollWidth };
        }, ok);
        assert.ok(fit.left >= 0 && fit.right <= fit.width, `"${title}" spans x=${fit.left}…${fit.right} in a ${fit.width} px screen`);
        assert.deepEqual(fit.outside, [], `"${title}": text runs out of the confirmation`);
        assert.ok(fit.ok && fit.ok.left >= 0 && fit.ok.right <= fit.width, `"${ok}" is cut off: ${JSON.stringify(fit.ok)}`);
        assert.ok(fit.pageWidth <= fit.width, `the page scrolls sideways: ${fit.pageWidth} px wide`);
        await record(`phone-confirm-${item.toLowerCase().replaceAll(' ', '-')}`);
        await confirm.getByRole('button', { name: 'No' }).click();
        await confirm.waitFor({ state: 'hidden' });
      }
      await rowAction(page, 'hana@walk.test', 'Make org admin');
      await page.getByRole('tooltip').filter({ hasText: 'Make Hana Heir an org admin?' }).getByRole('button', { name: 'Yes' }).click();
      await expectToast(page, 'Hana Heir is now an org admin.');
    } finally {
      await page.setViewportSize({ width: 1366, height: 860 });
    }
  });
});
