// What an admin met off the help page's main road, in Chromium against a
// real `roster serve`: a row keeps its assistants after "Make org admin"
// and "Resend invite", a 200-character name leaves the Action column in
// view, an invitee invited again is pointed at "Resend invite", a field's
// error is said once, a removal without leads has no "null" in the audit
// log, "New lead" says why it is disabled, opens with the focus in Name and
// asks an admin who is not on the assistant for an owner, and a member
// removed meanwhile who reloads is told so and offered "Sign out". A user on
// a phone reads the members' names and e-mails. After "Resend invite" the
// time left reads as after a reload.
//
// The steps build on each other; after a failure the rest are skipped.
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import { startAcmeWithAda } from './lib/acme.mjs';
import { launch, settled } from './lib/browser.mjs';
import { story } from './lib/story.mjs';
import {
  apiAs, expectToast, menuClosed, navigate, row, rowAction, setNewPassword, signIn, waitForTableIdle,
} from './lib/ui.mjs';

const PASSWORD = 'violet-harbor-quantum-lantern-58';
const LOU_PASSWORD = 'saffron-glacier-meadow-piston-942';
const LONG_NAME = 'Maximiliana Alexandrovna '.repeat(8).trim();
// An ordinary long address, like a company's first.last@sales-subdomain ones.
const LONG_EMAIL = 'maximiliana.alexandrovna.featherstonehaugh@outbound-sales.rows.test';

let roster;
let base;
let browser;
let page;
let other;
let otherBrowser;
const ids = {};

const scene = story('org-users-rows', { pages: () => ({ admin: page, removed: other }) });
const { step } = scene;
const record = (name) => scene.record(page, name);

/** A call of the API as Ada, through the browser's session. */
const api = (method, path, body) => apiAs(page, base, method, path, body);

/** The Assistants cell of `email`'s row on Org users. */
async function assistantsOf(email) {
  const headers = await page.getByRole('columnheader').allInnerTexts();
  const column = headers.findIndex((text) => text.trim().startsWith('Assistants'));
  assert.ok(column >= 0, `no Assistants column in ${headers.join(' | ')}`);
  return row(page, email).getByRole('cell').nth(column).innerText();
}

describe('Org users rows', () => {
  before(async () => {
    ({ roster, base, browser, page } = await startAcmeWithAda(PASSWORD));
  });

  after(async () => {
    if (browser) await browser.close().catch(() => {});
    if (otherBrowser) await otherBrowser.close().catch(() => {});
    if (roster) await roster.stop();
  });

  step('with no assistant yet, Leads says why "New lead" is disabled', async () => {
    await navigate(page, 'Leads');
    const create = page.getByRole('button', { name: 'New lead' });
    await page.getByText('Create an assistant first: every lead belongs to one.').waitFor();
    assert.ok(await create.isDisabled());
    assert.equal(await create.getAttribute('aria-describedby'), 'no-assistant-hint');
    await record('leads-without-assistant');
    await navigate(page, 'Org users');
  });

  step('a team: Bea active and Ivo invited on Aria, Lou with a 200-character name, Max with a long e-mail managing Outbound EU', async () => {
    const aria = await api('POST', '/orgs/1/assistants', { name: 'Aria' });
    ids.aria = aria.id;
    const outbound = await api('POST', '/orgs/1/assistants', { name: 'Outbound EU' });
    for (const [name, email] of [['Bea Buyer', 'bea@rows.test'], ['Ivo Invitee', 'ivo@rows.test'], [LONG_NAME, 'lou@rows.test'],
                                 ['Max Manager', LONG_EMAIL]]) {
      const member = await api('POST', '/orgs/1/invitations', { name, email, role: 'user', assistant_ids: email === 'lou@rows.test' ? [] : [aria.id] });
      ids[email] = member.user_id;
    }
    await api('PUT', `/orgs/1/assistants/${outbound.id}/users/${ids[LONG_EMAIL]}`, { is_manager: true });
    const otp = await roster.oneTimePasswordFor('bea@rows.test');
    otherBrowser = await launch();
    other = await otherBrowser.context.newPage();
    await signIn(other, base, 'bea@rows.test', otp);
    await other.waitForURL(/\/password$/);
    await setNewPassword(other, 'copper-meadow-signal-orchid-731');
    await other.waitForURL(/\/orgs\/1\/users$/);
    await page.reload();
    await row(page, 'bea@rows.test').filter({ hasText: 'Active' }).waitFor();
  });

  step('"Make org admin" and "Resend invite" leave the row\'s assistants as they are', async () => {
    assert.match(await assistantsOf('bea@rows.test'), /Aria/);
    await rowAction(page, 'bea@rows.test', 'Make org admin');
    await page.getByRole('tooltip').filter({ hasText: 'Make Bea Buyer an org admin?' }).waitFor();
    await page.getByRole('button', { name: 'Yes' }).click();
    await expectToast(page, 'Bea Buyer is now an org admin.');
    await row(page, 'bea@rows.test').filter({ hasText: 'Org admin' }).waitFor();
    assert.match(await assistantsOf('bea@rows.test'), /Aria/);

    await rowAction(page, 'ivo@rows.test', 'Resend invite');
    await expectToast(page, 'Invitation resent to ivo@rows.test.');
    assert.match(await assistantsOf('ivo@rows.test'), /Aria/);
    await record('assistants-kept');
  });

  step('Bea, demoted while she reads the audit log, is told on her next click; Ada\'s refused demotion reloads the stale list', async () => {
    await other.reload();
    await navigate(other, 'Audit log');
    await other.getByRole('heading', { name: 'Audit log' }).waitFor();
    await api('PATCH', `/orgs/1/members/${ids['bea@rows.test']}`, { role: 'user' });

    // Ada's list still shows Bea as an org admin; taking her own rights is refused.
    await rowAction(page, 'ada@acme.test', 'Remove org admin rights');
    await page.getByRole('button', { name: 'Yes' }).click();
    await expectToast(page, 'last admin');
    await row(page, 'bea@rows.test').filter({ hasText: 'User' }).waitFor();
    assert.doesNotMatch(await row(page, 'bea@rows.test').innerText(), /Org admin/);

    // Her console may have read GET /me on its own meanwhile (a tab back in
    // view, slow on a loaded machine): then the link is gone already and
    // there is no click to be told on; what she sees after is the same.
    const webhooks = other.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Webhooks' });
    if (await webhooks.count() > 0) {
      await navigate(other, 'Webhooks');
      await other.getByRole('alert').filter({ hasText: 'You are no longer an org admin of Acme Sales' }).waitFor();
    }
    await other.getByText('Admins only').waitFor();
    assert.equal(await other.getByText('Could not load this list').count(), 0);
    assert.equal(await other.locator('.role-tag').innerText(), 'User');
    assert.equal(await other.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Webhooks' }).count(), 0);
    await scene.record(other, 'demoted-next-click');
    await navigate(other, 'Org users');
  });

  step('a 200-character name and a long e-mail are cut with their full text as the title; no scrolling sideways at 1280 and 1366 px', async () => {
    try {
      for (const viewport of [{ width: 1366, height: 768 }, { width: 1280, height: 800 }]) {
        await page.setViewportSize(viewport);
        const name = row(page, 'lou@rows.test').getByTitle(LONG_NAME);
        await name.waitFor();
        const nameBox = await name.boundingBox();
        assert.ok(nameBox.width <= 200, `the name is ${nameBox.width} px wide`);
        const emailBox = await row(page, 'Max Manager').getByTitle(LONG_EMAIL).boundingBox();
        assert.ok(emailBox.width <= 240, `the e-mail is ${emailBox.width} px wide`);
        const sideways = await page.locator('.members-table .ant-table-content')
          .evaluate((table) => table.scrollWidth - table.clientWidth);
        assert.ok(sideways <= 1, `the table scrolls ${sideways} px sideways at ${viewport.width} px`);
        // Leads and 2FA are whole, left of the pinned Action column.
        const action = await page.getByRole('columnheader', { name: 'Action' }).boundingBox();
        for (const header of ['Leads', '2FA']) {
          const box = await page.getByRole('columnheader', { name: header }).boundingBox();
          assert.ok(box.x + box.width <= action.x + 1, `${header} ends at x=${box.x + box.width}, under Action at ${action.x}`);
        }
        for (const email of ['ada@acme.test', 'bea@rows.test', 'lou@rows.test', 'Max Manager']) {
          const box = await row(page, email).getByRole('button', { name: /^Action/ }).boundingBox();
          assert.ok(box.x + box.width <= viewport.width, `${email}'s Action ends at x=${box.x + box.width}, past ${viewport.width}`);
        }
        await record(`long-name-${viewport.width}`);
      }
    } finally {
      await page.setViewportSize({ width: 1366, height: 860 });
    }
  });

  step('Lou signs in: the header cuts her 200-character name and keeps the organization\'s name on one line', async () => {
    const louBrowser = await launch({ viewport: { width: 1366, height: 768 } });
    try {
      const lou = await louBrowser.context.newPage();
      await signIn(lou, base, 'lou@rows.test', await roster.oneTimePasswordFor('lou@rows.test'));
      await lou.waitForURL(/\/password$/);
      await setNewPassword(lou, LOU_PASSWORD);
      await lou.waitForURL(/\/orgs\/1\/users$/);
      const name = lou.locator('.console-header').getByTitle(LONG_NAME);
      const nameBox = await name.boundingBox();
      assert.ok(nameBox.width <= 260, `the header's name is ${nameBox.width} px wide`);
      // The lines its text is laid out on, and where they are.
      const lines = await lou.locator('.console-header .org-name').evaluate((element) => {
        const range = document.createRange();
        range.selectNodeContents(element);
        return [...new Set([...range.getClientRects()].filter((rect) => rect.width > 0).map((rect) => Math.round(rect.top)))];
      });
      assert.equal(lines.length, 1, `the organization's name is on ${lines.length} lines`);
      assert.ok(lines[0] >= 0, 'the organization\'s name is clipped above the page');
      await lou.locator('.console-header').getByText('Acme Sales').waitFor();
      await scene.record(lou, 'header-long-name');
    } finally {
      await louBrowser.close();
    }
  });

  step('Lou, a user, on a 390 px phone reads the members\' names, and their e-mails a swipe away: nothing is pinned over them', async () => {
    const louBrowser = await launch({ viewport: { width: 390, height: 844 } });
    try {
      const lou = await louBrowser.context.newPage();
      await signIn(lou, base, 'lou@rows.test', LOU_PASSWORD);
      await lou.waitForURL(/\/orgs\/1\/users$/);
      await waitForTableIdle(lou);
      /** Whether the text shows whole in the table and a tap at its right end reaches it (no cell pinned over it). */
      const readable = (locator) => locator.evaluate((element) => {
        const box = element.getBoundingClientRect();
        const view = element.closest('.ant-table-content').getBoundingClientRect();
        const hit = document.elementFromPoint(box.right - 2, box.top + box.height / 2);
        return { whole: element.scrollWidth <= element.clientWidth + 1 && box.left >= view.left - 1 && box.right <= view.right + 1,
                 onTop: element.contains(hit), covered: hit?.textContent.trim().slice(0, 40) };
      });
      for (const name of ['Ada Admin', 'Ivo Invitee', 'Max Manager']) {
        const seen = await readable(row(lou, name).getByTitle(name, { exact: true }));
        assert.ok(seen.whole && seen.onTop, `${name} is not readable: ${JSON.stringify(seen)}`);
      }
      await scene.record(lou, 'phone-user-names');
      // Scrolled sideways to the E-mail column, the addresses read whole too.
      const email = row(lou, 'Ivo Invitee').getByTitle('ivo@rows.test', { exact: true });
      await email.evaluate((element) => element.closest('td').scrollIntoView({ inline: 'start', block: 'nearest' }));
      for (const address of ['ada@acme.test', 'ivo@rows.test']) {
        const seen = await readable(lou.getByTitle(address, { exact: true }));
        assert.ok(seen.whole && seen.onTop, `${address} is not readable: ${JSON.stringify(seen)}`);
      }
      await scene.record(lou, 'phone-user-emails');
    } finally {
      await louBrowser.close();
    }
  });

  step('on an 800 px screen the table scrolls under a pinned Action column', async () => {
    await page.setViewportSize({ width: 800, height: 600 });
    try {
      for (const email of ['ada@acme.test', 'lou@rows.test']) {
        const box = await row(page, email).getByRole('button', { name: /^Action/ }).boundingBox();
        assert.ok(box.x + box.width <= 800, `${email}'s Action ends at x=${box.x + box.width}`);
      }
      await row(page, 'ivo@rows.test').hover();
      await record('narrow-pinned-action');
    } finally {
      await page.setViewportSize({ width: 1366, height: 860 });
    }
  });

  step('inviting Ivo again says he is already invited and points at "Resend invite"', async () => {
    await page.locator('#main').getByRole('button', { name: 'Invite', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Invite a user' });
    await dialog.getByLabel('Name').fill('Ivo Again');
    await dialog.getByLabel('E-mail').fill('ivo@rows.test');
    await dialog.getByRole('button', { name: 'Invite user' }).click();
    await dialog.getByText('This e-mail is already invited; Resend invite sends a new one-time password.').waitFor();
    await record('invite-already-invited');
  });

  step('a name the server refuses is said once, under the field', async () => {
    const dialog = page.getByRole('dialog', { name: 'Invite a user' });
    await dialog.getByLabel('Name').fill('N'.repeat(201));
    await dialog.getByLabel('E-mail').fill('nina@rows.test');
    await dialog.getByRole('button', { name: 'Invite user' }).click();
    const said = dialog.getByText('Use at most 200 characters.');
    await said.first().waitFor();
    assert.equal(await said.count(), 1, 'the refusal is said twice');
    await record('invite-field-error');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
  });

  step('resending Ivo\'s invitation too often says when to try again, in one sentence', async () => {
    for (let attempt = 0; attempt < 10; attempt += 1) {
      const response = await page.request.post(`${base}/api/v1/orgs/1/members/${ids['ivo@rows.test']}/resend-invite`, {
        headers: { 'X-Requested-With': 'roster' },
      });
      if (response.status() === 429) break;
      assert.equal(response.status(), 200, await response.text());
    }
    await rowAction(page, 'ivo@rows.test', 'Resend invite');
    const toast = page.locator('.ant-message-notice', { hasText: 'too often' }).first();
    await toast.waitFor();
    const said = (await toast.innerText()).trim();
    assert.match(said, /try again in about an hour\.$/);
    assert.doesNotMatch(said, /later|\d+ s\b/);
    await record('resend-rate-limited');
  });

  step('"New lead" on an assistant Ada is not on asks her for its owner', async () => {
    await navigate(page, 'Leads');
    await page.getByRole('button', { name: 'New lead' }).click();
    const dialog = page.getByRole('dialog', { name: 'New lead' });
    await dialog.getByText('You are not on this assistant: choose one of its users.').waitFor();
    // The focus is in Name, not on the dialog's frame (from where Tab went to ×).
    await page.waitForFunction(() => document.activeElement?.labels?.[0]?.textContent === 'Name', null, { timeout: 5000 })
      .catch(async () => assert.fail(`the focus is on ${await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 120))}`));
    await dialog.getByLabel('Name', { exact: true }).fill('Lina Lead');
    await dialog.getByLabel('E-mail').fill('lina@prospect.test');
    await dialog.getByRole('button', { name: 'Create lead' }).click();
    await dialog.getByText('Choose the owner.').waitFor();
    await record('new-lead-owner-needed');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
  });

  step('removing Bea, who owns no leads, leaves no "null" in the audit log', async () => {
    await api('DELETE', `/orgs/1/members/${ids['bea@rows.test']}`);
    await navigate(page, 'Audit log');
    const removal = row(page, 'bea@rows.test').filter({ hasText: /removed/i }).first();
    await removal.waitFor();
    assert.doesNotMatch(await removal.innerText(), /null/);
    // Name and e-mail are apart, in the text too; Details is wide enough for whole words at 1366 px.
    assert.match(await removal.textContent(), /Ada Admin ada@acme\.test/);
    const name = await removal.getByTitle('Ada Admin', { exact: true }).boundingBox();
    const email = await removal.getByTitle('ada@acme.test', { exact: true }).boundingBox();
    assert.ok(email.y >= name.y + name.height - 1, 'the e-mail is not under the name');
    await page.setViewportSize({ width: 1366, height: 768 });
    try {
      const details = await page.getByRole('columnheader', { name: 'Details' }).boundingBox();
      assert.ok(details.width >= 200, `Details is ${details.width} px wide`);
      const sideways = await page.locator('.ant-table-content').evaluate((table) => table.scrollWidth - table.clientWidth);
      assert.ok(sideways <= 1, `the audit log scrolls ${sideways} px sideways`);
    } finally {
      await page.setViewportSize({ width: 1366, height: 860 });
    }
    await record('audit-removal-without-leads');
  });

  step('Bea, removed meanwhile, reloads: she is told she no longer has access to Acme Sales and offered "Sign out"', async () => {
    await other.reload();
    await other.getByRole('heading', { name: 'You no longer have access to Acme Sales' }).waitFor();
    await other.getByText('you have no other active organization').waitFor();
    assert.equal(await other.getByText('Organization not found').count(), 0);
    assert.equal(await other.getByRole('link', { name: 'Go to your organization' }).count(), 0);
    await scene.record(other, 'removed-reload');
    await other.getByRole('button', { name: 'Sign out' }).click();
    await other.waitForURL(/\/login/);
    await menuClosed(page);
  });

  step('Ada\'s session ends elsewhere: her next action lands on a sign-in page that says so, and signing in returns her', async () => {
    await navigate(page, 'Org users');
    await page.getByRole('heading', { name: 'Org users' }).waitFor();
    await row(page, 'ivo@rows.test').getByRole('button', { name: /^Action/ }).waitFor();
    await api('POST', '/auth/logout');
    await rowAction(page, 'ivo@rows.test', 'Make org admin');
    await page.getByRole('button', { name: 'Yes' }).click();
    await page.waitForURL(/\/login/);
    const notice = page.getByRole('status').filter({ hasText: 'Your session ended; sign in again.' });
    await notice.waitFor();
    await record('session-ended');
    await page.getByLabel('E-mail').fill('ada@acme.test');
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/orgs\/1\/users$/);
    assert.equal(await notice.count(), 0);
  });

  step('Change password: a wrong current password, then two new ones that differ, shows only the second problem', async () => {
    await page.getByRole('button', { name: 'Ada Admin, account menu' }).click();
    await page.getByRole('menuitem', { name: 'Change password' }).click();
    await page.waitForURL(/\/password$/);
    await page.getByLabel('Current password').fill('not-my-password-at-all-0');
    await page.getByLabel('New password', { exact: true }).fill('harbor-quantum-violet-lantern-77');
    await page.getByLabel('Repeat the new password').fill('harbor-quantum-violet-lantern-77');
    await page.getByRole('button', { name: 'Set password' }).click();
    const refusal = page.getByRole('alert').filter({ hasText: /current password/i });
    await refusal.waitFor();
    await page.getByLabel('Repeat the new password').fill('harbor-quantum-violet-lantern-78');
    await page.getByRole('button', { name: 'Set password' }).click();
    await page.getByText('The two passwords differ.').waitFor();
    await refusal.waitFor({ state: 'detached' });
    await record('password-second-problem');
  });

  step('on a 390 px phone the title reads on one line and Invite can be pressed', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      await page.goto(`${base}/orgs/1/users`);
      const title = page.getByRole('heading', { name: 'Org users' });
      await title.waitFor();
      const box = await title.boundingBox();
      assert.ok(box.height < 40, `the title is ${box.height} px tall: it breaks inside the word`);
      const invite = page.locator('#main').getByRole('button', { name: 'Invite', exact: true });
      const inviteBox = await invite.boundingBox();
      assert.ok(inviteBox.x + inviteBox.width <= 390, `Invite ends at x=${inviteBox.x + inviteBox.width}`);
      await record('phone-org-users');
      await invite.click();
      const dialog = page.getByRole('dialog', { name: 'Invite a user' });
      await dialog.waitFor();
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await dialog.waitFor({ state: 'hidden' });
    } finally {
      await page.setViewportSize({ width: 1366, height: 860 });
    }
  });

  step('on a 390 px phone "Make org admin" for Lou\'s 200-character name wraps inside the screen, "Yes" whole', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      await page.goto(`${base}/orgs/1/users`);
      await waitForTableIdle(page);
      await rowAction(page, 'lou@rows.test', 'Make org admin');
      const confirm = page.getByRole('tooltip').filter({ hasText: 'an org admin?' });
      await confirm.getByRole('button', { name: 'Yes' }).waitFor();
      await settled(page);
      const fit = await confirm.evaluate((element) => {
        const popover = element.closest('.ant-popover').getBoundingClientRect();
        const texts = [...element.querySelectorAll('.ant-popconfirm-title, .ant-popconfirm-description, button')]
          .map((inner) => inner.getBoundingClientRect());
        return { left: popover.left, right: popover.right, width: window.innerWidth, page: document.documentElement.scrollWidth,
                 inside: texts.every((box) => box.left >= Math.max(popover.left, 0) - 1 && box.right <= Math.min(popover.right, window.innerWidth) + 1) };
      });
      assert.ok(fit.left >= 0 && fit.right <= fit.width, `the confirmation spans x=${fit.left}…${fit.right}`);
      assert.ok(fit.inside, 'its title, text or buttons run out of it');
      assert.ok(fit.page <= fit.width, `the page scrolls sideways (${fit.page} px)`);
      await record('phone-confirm-long-name');
      await confirm.getByRole('button', { name: 'No' }).click();
      await confirm.waitFor({ state: 'hidden' });
    } finally {
      await page.setViewportSize({ width: 1366, height: 860 });
    }
  });

  step('Escape in a row\'s Action menu gives the focus back to its button', async () => {
    await page.goto(`${base}/orgs/1/users`);
    await waitForTableIdle(page);
    // As a person would: Enter on the button, the keys once the menu has the focus.
    await row(page, 'ivo@rows.test').getByRole('button', { name: /^Action/ }).press('Enter');
    await page.waitForFunction(() => document.activeElement?.closest('[role="menu"]'));
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Escape');
    await menuClosed(page);
    await page.waitForFunction(() => document.activeElement?.getAttribute('aria-label') === 'Action for Ivo Invitee');
  });

  step('after "Resend invite" the time left reads as after a reload ("23 h 59 min left", not "1 d 0 h left")', async () => {
    // The browser's clock, moved on by hand: the rows were drawn 20 s before the resend.
    await page.clock.install();
    await page.goto(`${base}/orgs/1/users`);
    await waitForTableIdle(page);
    const gus = await api('POST', '/orgs/1/invitations', { name: 'Gus Guest', email: 'gus@rows.test', role: 'user', assistant_ids: [] });
    assert.ok(gus.user_id);
    await page.reload();
    await waitForTableIdle(page);
    const left = () => row(page, 'gus@rows.test').getByText(/left$/).innerText();
    await row(page, 'gus@rows.test').getByText(/left$/).waitFor();
    await page.clock.fastForward(20_000);
    await rowAction(page, 'gus@rows.test', 'Resend invite');
    await expectToast(page, 'Invitation resent to gus@rows.test.');
    await row(page, 'gus@rows.test').getByText(/left$/).waitFor();
    const resent = await left();
    await record('resent-time-left');
    await page.reload();
    await waitForTableIdle(page);
    const reloaded = await left();
    assert.match(reloaded, /^23 h 5\d min left$/);
    assert.equal(resent, reloaded);
  });
});
